# What meldpunt-keys show and extract say about metadata still in an attachment
# (files the reporter's browser could not clean, or whose original the reporter kept).
leftover-found = { $name } still holds hidden details: { $what }.
leftover-not-checked = { $name } could not be checked for hidden details: { $reason }.
leftover-advice = These details can make the reporter recognisable. Do not pass the file on without removing them (with mat2, for example), or pass on a screenshot or a print to PDF.
leftover-why-unknown_format = meldpunt-keys cannot read this kind of file
leftover-why-heic = a HEIC photo (iPhone)
leftover-why-damaged = the file seems damaged
leftover-why-encrypted = the file is protected with a password
leftover-why-too_large = the file is too large or too complex to check
leftover-location = where the photo was taken
leftover-camera = the make and model of the camera
leftover-camera_serial = the camera's serial number
leftover-author = the name of the maker or editor
leftover-organisation = the name of the organisation
leftover-software = the program it was made with
leftover-dates = the date and time it was made and edited
leftover-comments = comments and descriptions
leftover-title = title, subject and keywords
leftover-thumbnail = a small copy of the image
leftover-revision_ids = numbers that link versions of the file
leftover-custom_properties = extra properties of the document
leftover-other = other hidden details
