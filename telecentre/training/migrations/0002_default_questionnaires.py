from django.db import migrations

# Stored content in French, the language of the trainees; staff edit it in the back office.
QUESTIONNAIRES = [
    (
        "satisfaction",
        "Votre avis sur la formation",
        "Quelques questions à chaud, à la fin de la formation.",
        0,
        [
            ("rating", "Globalement, êtes-vous satisfait·e de la formation ?"),
            ("rating", "Les objectifs annoncés ont-ils été atteints ?"),
            ("rating", "Le contenu correspondait-il à vos besoins ?"),
            ("rating", "Comment jugez-vous l'animation par les formateurs ?"),
            ("rating", "Comment jugez-vous l'accueil, les locaux et le matériel ?"),
            ("text", "Que faudrait-il améliorer ?"),
        ],
    ),
    (
        "follow_up",
        "Et depuis la formation ?",
        "Deux mois après la formation, qu'en avez-vous fait ?",
        60,
        [
            ("rating", "La formation vous est-elle utile dans votre activité aujourd'hui ?"),
            ("rating", "Avez-vous pu mettre en pratique ce que vous avez appris ?"),
            ("text", "Où en est votre projet (activité créée, télétravail, installation) ?"),
            ("text", "Avec le recul, que changeriez-vous dans la formation ?"),
        ],
    ),
]


def create(apps, schema_editor):
    Questionnaire = apps.get_model("training", "Questionnaire")
    for kind, title, introduction, delay, questions in QUESTIONNAIRES:
        questionnaire, created = Questionnaire.objects.get_or_create(
            kind=kind, active=True, defaults={"title": title, "introduction": introduction, "delay_days": delay}
        )
        if created:
            for order, (question_kind, text) in enumerate(questions, start=1):
                questionnaire.questions.create(
                    order=order, kind=question_kind, text=text, required=question_kind == "rating"
                )


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
