"""`liandong remind` (#15): what each leading unit has to attend to today, as a digest (digest.py),
kept as one forge issue per unit (forge.py) or posted to a group robot (robots.py)."""
