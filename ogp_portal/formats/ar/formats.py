# Day before month, as in Moroccan usage (Django's Arabic locale has no short date-time format
# and falls back to the US order). The right-to-left marks keep the order in Arabic text.
SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
