# Times as French administrative texts write them ("à 13h00", "à 14h30"), as in the minutes.
TIME_FORMAT = r"G\hi"
DATETIME_FORMAT = r"j F Y G\hi"
