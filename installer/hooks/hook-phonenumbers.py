# Replaces the stock phonenumbers hook, which collects every submodule: the geocoder,
# carrier and time-zone data (40 MB of Python, slow to compile) load only when imported
# by name, and pinupload never imports them.
from PyInstaller.utils.hooks import collect_submodules

UNUSED = ("geocoder", "geodata", "carrier", "carrierdata", "timezone", "tzdata")
UNUSED_PREFIXES = tuple(f"phonenumbers.{name}" for name in UNUSED)

hiddenimports = collect_submodules(
    "phonenumbers", filter=lambda name: not name.startswith(UNUSED_PREFIXES)
)
excludedimports = list(UNUSED_PREFIXES)
