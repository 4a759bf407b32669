"""The starting vocabulary: the 17 SDGs and the themes the seed documents use, each mapped
to the SDGs it serves. Admins extend it in the admin; ``load_vocabulary`` only adds what is
missing (the data migration runs it, and so does ``load_seed``, whose themes need it)."""

from django.apps import apps as django_apps

SDGS = [
    (1, "No poverty"),
    (2, "Zero hunger"),
    (3, "Good health and well-being"),
    (4, "Quality education"),
    (5, "Gender equality"),
    (6, "Clean water and sanitation"),
    (7, "Affordable and clean energy"),
    (8, "Decent work and economic growth"),
    (9, "Industry, innovation and infrastructure"),
    (10, "Reduced inequalities"),
    (11, "Sustainable cities and communities"),
    (12, "Responsible consumption and production"),
    (13, "Climate action"),
    (14, "Life below water"),
    (15, "Life on land"),
    (16, "Peace, justice and strong institutions"),
    (17, "Partnerships for the goals"),
]

# (slug, name, parent slug, SDG numbers, description); parents come before their children.
THEMES = [
    (
        "climate-change",
        "Climate change",
        None,
        [11, 13],
        "Cutting emissions and adapting cities to a changing climate.",
    ),
    (
        "climate-change-adaptation",
        "Climate change adaptation",
        "climate-change",
        [11, 13],
        "Preparing cities for heat, floods, drought and rising seas.",
    ),
    (
        "climate-change-mitigation",
        "Climate change mitigation",
        "climate-change",
        [7, 11, 13],
        "Low-carbon and climate-neutral cities: cutting greenhouse gas emissions.",
    ),
    (
        "disaster-risk-reduction",
        "Disaster risk reduction",
        None,
        [1, 11, 13],
        "Preparedness, resilience and recovery from natural hazards.",
    ),
    (
        "flood-management",
        "Flood management",
        "disaster-risk-reduction",
        [6, 11, 13],
        "Urban flood risk, drainage and water retention.",
    ),
    (
        "nature-based-solutions",
        "Nature-based solutions",
        None,
        [11, 13, 15],
        "Green spaces, sponge cities and ecosystems that do the work of infrastructure.",
    ),
    (
        "waste-circular-economy",
        "Waste and circular economy",
        None,
        [11, 12],
        "Reducing, composting and recycling waste; resources kept in use.",
    ),
    (
        "urban-mobility",
        "Urban mobility",
        None,
        [3, 9, 11],
        "Public transport, electric buses, walking and cycling.",
    ),
    (
        "housing",
        "Housing",
        None,
        [1, 11],
        "Affordable and adequate housing and informal settlements.",
    ),
    (
        "digitalisation-smart-city",
        "Digitalisation and smart city",
        None,
        [9, 11],
        "Digital services, data and smart city management.",
    ),
    (
        "urban-finance",
        "Urban finance",
        None,
        [11, 17],
        "Financing urban projects: bankable projects, business models, municipal finance.",
    ),
    (
        "public-health",
        "Public health",
        None,
        [3],
        "Healthy cities, disease prevention and health services.",
    ),
    (
        "vector-control",
        "Dengue and vector control",
        "public-health",
        [3],
        "Dengue fever and other vector-borne diseases.",
    ),
    ("air-quality", "Air quality", "public-health", [3, 11], "Clean air and pollution control."),
    (
        "food-systems",
        "Food systems",
        None,
        [2, 12],
        "Urban food supply, food security and food waste.",
    ),
    (
        "water-sanitation",
        "Water and sanitation",
        None,
        [6],
        "Water supply, wastewater and sanitation.",
    ),
    (
        "energy-transition",
        "Energy transition",
        None,
        [7, 13],
        "Renewable energy and energy efficiency.",
    ),
    (
        "heritage-culture",
        "Heritage and culture",
        None,
        [11],
        "Cultural heritage, the arts and creative cities.",
    ),
    (
        "local-economic-development",
        "Local economic development and tourism",
        None,
        [8],
        "Local economies, jobs and sustainable tourism.",
    ),
    (
        "governance-sdg-localisation",
        "Governance and SDG localisation",
        None,
        [11, 16, 17],
        "Local governance, planning and the SDGs taken to the city level.",
    ),
    (
        "gender-inclusion",
        "Gender and inclusion",
        None,
        [5, 10],
        "Gender equality and inclusion, migrants and refugees included.",
    ),
]


def load_vocabulary(apps=django_apps) -> None:
    """Create the SDGs and themes above that are missing; change none that exist."""
    SDG = apps.get_model("themes", "SustainableDevelopmentGoal")
    Theme = apps.get_model("themes", "Theme")
    goals = {
        number: SDG.objects.get_or_create(number=number, defaults={"name": name})[0]
        for number, name in SDGS
    }
    for slug, name, parent, numbers, description in THEMES:
        theme, created = Theme.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "parent": Theme.objects.filter(slug=parent).first() if parent else None,
            },
        )
        if created:
            theme.sdgs.add(*(goals[n] for n in numbers))
