"""Who may edit activities: the officers of the activity's programme (see programmes.rules)."""

from programmes.rules import add_programme_scoped_rules

add_programme_scoped_rules("activities", "activity")
