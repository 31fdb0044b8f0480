"""Figures read from the other apps' records: coworking, housing, training, forum.

Each returns None when the figure cannot be computed yet (shown as "not
available"), otherwise {"value": number for exports, "display": text,
"detail": text, "link": url of the records behind it}.
"""


def forum_visitors(period):
    return None


def coworking_occupancy(period):
    return None


def housing_occupancy(period):
    return None


def training_hours(period):
    return None
