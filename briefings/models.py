# Briefings arrive with the learning and briefings issue; the app exists so the layout is stable.
