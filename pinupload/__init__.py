"""pinupload: offline conversions from spreadsheets to Pinterest's Conversions API."""

__version__ = "0.1.0"
APP_NAME = "pinupload"
APP_ID = "com.pinupload.Pinupload"
