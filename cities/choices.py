from django.db import models


class LocalGovernmentKind(models.TextChoices):
    CITY = "city", "City"
    MUNICIPALITY = "municipality", "Municipality"
    DISTRICT = "district", "District"
    REGENCY = "regency", "Regency"
    PROVINCE = "province", "Province"
    REGION = "region", "Region"
    OTHER = "other", "Other local government"


class AlternativeNameKind(models.TextChoices):
    SPELLING = "spelling", "Spelling variant"
    LOCAL = "local", "Local-language name"
    FORMER = "former", "Former name"
    SOURCE_ERROR = "source_error", "Misspelling or OCR error in a source"
    ABBREVIATION = "abbreviation", "Abbreviation"
