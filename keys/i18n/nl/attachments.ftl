# What meldpunt-keys show and extract say about metadata still in an attachment
# (files the reporter's browser could not clean, or whose original the reporter kept).
leftover-found = { $name } bevat nog verborgen gegevens: { $what }.
leftover-not-checked = { $name } kon niet worden gecontroleerd op verborgen gegevens: { $reason }.
leftover-advice = Deze gegevens kunnen de melder herkenbaar maken. Deel het bestand niet verder zonder ze eruit te halen (bijvoorbeeld met mat2), of deel een schermafbeelding of een afdruk naar PDF.
leftover-why-unknown_format = dit soort bestand kan meldpunt-keys niet lezen
leftover-why-heic = een HEIC-foto (iPhone)
leftover-why-damaged = het bestand lijkt beschadigd
leftover-why-encrypted = het bestand is met een wachtwoord beveiligd
leftover-why-too_large = het bestand is te groot of te ingewikkeld om te controleren
leftover-location = de plek waar de foto is gemaakt
leftover-camera = het merk en type van de camera
leftover-camera_serial = het serienummer van de camera
leftover-author = de naam van de maker of bewerker
leftover-organisation = de naam van de organisatie
leftover-software = het programma waarmee het is gemaakt
leftover-dates = de datum en tijd van maken en bewerken
leftover-comments = opmerkingen en beschrijvingen
leftover-title = titel, onderwerp en trefwoorden
leftover-thumbnail = een verkleinde kopie van de afbeelding
leftover-revision_ids = nummers die versies van het bestand aan elkaar koppelen
leftover-custom_properties = extra eigenschappen van het document
leftover-other = andere verborgen gegevens
