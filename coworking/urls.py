from django.urls import path

from . import feeds, staff, views

app_name = "coworking"

urlpatterns = [
    path("", views.index, name="index"),
    path("spaces/<slug:slug>/", views.space_detail, name="space"),
    path("spaces/<slug:slug>/calendar.ics", feeds.space_feed, name="space-feed"),
    path("book/", views.book, name="book"),
    path("book/recurring/", views.book_recurring, name="book-recurring"),
    path("my-bookings/", views.my_bookings, name="my-bookings"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bookings/<int:pk>/change/", views.booking_change, name="booking-change"),
    path("series/<int:pk>/cancel/", views.series_cancel, name="series-cancel"),
    path("waiting-list/join/", views.waitlist_join, name="waitlist-join"),
    path("check-in/<str:token>/", views.check_in, name="check-in"),
    path("calendar/new-address/", views.feed_reset, name="feed-reset"),
    path("calendar/<str:token>.ics", feeds.member_feed, name="member-feed"),
    path("staff/grid/", staff.grid, name="grid"),
    path("staff/book/", staff.staff_book, name="staff-book"),
    path("staff/bookings/<int:pk>/check-in/", staff.staff_check_in, name="staff-check-in"),
    path("staff/bookings/<int:pk>/cancel/", staff.staff_cancel, name="staff-cancel"),
    path("staff/qr-codes/", staff.qr_codes, name="qr-codes"),
    path("staff/qr-codes/<slug:slug>.svg", staff.qr_code_svg, name="qr-code"),
    path("staff/statistics/", staff.statistics, name="statistics"),
    path("staff/invoicing/", staff.invoicing, name="invoicing"),
]
