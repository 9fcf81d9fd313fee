err-no-folder-was-given-and = no folder was given and $HOME is not set
err-already-holds-meldpunt-keys-they = { $d } already holds meldpunt keys; they are not overwritten
err-holds-no-meldpunt-keys-identity = { $d } holds no meldpunt keys (identity.age is missing)
err-cannot-ask-for-the-passphrase = cannot ask for the passphrase: there is no terminal and MELDPUNT_PASSPHRASE is not set
err-the-passphrase-is-too-short = the passphrase is too short (at least 12 characters)
err-the-two-passphrases-differ = the two passphrases differ
err-meldpunt-scrypt-log-n-is = MELDPUNT_SCRYPT_LOG_N={ $v } is not a number from 1 to 30
err-the-passphrase-does-not-open = the passphrase does not open { $p }
err-is-damaged-or-not-a = { $p } is damaged or not a meldpunt key ({ $d })
err-cannot-read = cannot read { $path } ({ $detail })
err-cannot-write = cannot write { $path } ({ $detail })
err-cannot-create-the-folder = cannot create the folder { $path } ({ $detail })
err-the-file-does-not-exist = the file { $p } does not exist
err-is-not-a-valid-meldpunt = { $p } is not a valid meldpunt bundle; nothing was imported ({ $d })
err-is-a-bundle-of-replies = { $p } is a bundle of replies, not a bundle of meldingen; nothing was imported
err-this-bundle-comes-from-another = this bundle comes from another meldpunt: it names the signing key { $theirs }, this meldpunt has { $ours }; nothing was imported
err-there-is-no-set-aside = there is no set-aside item { $id }
err-item-was-imported-before-but = item { $id } was imported before, but with other content or in another case; nothing was imported
err-there-is-no-case = there is no case { $c }
err-the-reply-cannot-be-sent = the reply cannot be sent ({ $d })
err-already-exists-and-is-not = { $p } already exists and is not overwritten
err-the-case-store-reported-an = the case store { $p } reported an error ({ $d })
err-the-case-store-was-made = the case store { $p } was made by a newer version of meldpunt-keys
err-internal-error = internal error ({ $d })
err-does-not-belong-to-this = { $p } does not belong to this meldpunt: the key does not match public.txt
err-the-recovery-key-cannot-sign = the recovery key cannot sign anything (replies, import confirmations)
err-case-came-in-by-there = case { $c } came in by { $k }; there is no reply channel through the server
err-is-not-a-valid-value = { $v } is not a valid value for { $what }
err-is-not-a-valid-date = { $v } is not a valid date
err-is-before-the-day-the = { $d } is before the day the report was received ({ $r })
err-is-not-an-age-public = { $v } is not an age public key (age1…)
err-the-editor-could-not-be = the editor could not be started or stopped with an error ({ $d }); nothing was sent
err-the-text-was-left-empty = the text was left empty; nothing was saved
err-the-text-cannot-be-saved = the text cannot be saved ({ $d })
err-item-of-is-not-in = item { $id } of { $p } is not in the case store (or with other content); no confirmation was made
err-nothing-to-change-was-given = nothing to change was given
err-case-has-no-attachments = case { $c } has no attachments
err-this-recovery-key-is-already = this recovery key is already set
err-internal-error-2 = internal error ({ $other })
err-give-the-folder-with-dir = Give the folder with --dir or MELDPUNT_DIR.
err-use-the-existing-keys-or = Use the existing keys, or choose another, empty folder with --dir.
err-check-dir-or-meldpunt-dir = Check --dir (or MELDPUNT_DIR), or make keys first with `meldpunt-keys init`.
err-run-the-command-in-a = Run the command in a terminal, or put the passphrase in MELDPUNT_PASSPHRASE.
err-choose-a-longer-passphrase-for = Choose a longer passphrase, for example four or five unrelated words.
err-start-again-and-type-the = Start again and type the same twice.
err-unset-meldpunt-scrypt-log-n = Unset MELDPUNT_SCRYPT_LOG_N; it is for tests only.
err-try-again-minding-capitals-and = Try again, minding capitals and spaces.
err-restore-the-file-from-the = Restore the file from the backup of the key folder.
err-check-the-path-the-permissions = Check the path, the permissions and whether the disk or USB stick is full.
err-check-the-name-and-whether = Check the name and whether the USB stick is plugged in.
err-fetch-the-bundle-from-the = Fetch the bundle from the online machine again and import it once more.
err-reply-bundles-go-to-the = Reply bundles go to the server; import here the bundle the server exports.
err-fetch-the-bundle-from-this = Fetch the bundle from this meldpunt's server (check the address and the staff token), or choose the folder of the meldpunt it belongs to with --dir. If it is this meldpunt's server after all, set signing_public_key in the server configuration to the value in public.txt.
err-see-the-set-aside-items = See the set-aside items with `meldpunt-keys set-aside`.
err-check-that-the-bundle-comes = Check that the bundle comes from this meldpunt's server; tell its administrator if it does.
err-see-the-case-numbers-with = See the case numbers with `meldpunt-keys list`.
err-write-a-non-empty-text = Write a non-empty text of at most 256 KiB and try again.
err-choose-another-file-name = Choose another file name.
err-close-other-meldpunt-keys-windows = Close other meldpunt-keys windows and try again; if it persists, restore the backup.
err-use-the-newest-version-of = Use the newest version of meldpunt-keys.
err-this-is-a-bug-in = This is a bug in meldpunt-keys; report it to the administrator.
err-check-dir-or-meldpunt-dir-2 = Check --dir (or MELDPUNT_DIR), or restore this meldpunt's key files from the backup.
err-use-the-ordinary-keys-with = Use the ordinary keys with the passphrase (without --recovery-identity).
err-get-in-touch-the-way = Get in touch the way the report came in, and record it with `meldpunt-keys status`.
err-choose-one-of-the-values = Choose one of the values listed by `meldpunt-keys <command> --help`.
err-write-the-date-as-yyyy = Write the date as YYYY-MM-DD, for example 2026-03-01, or `vandaag`.
err-check-the-date-meldpunt-keys = Check the date; `meldpunt-keys show` shows when the report came in.
err-give-the-public-key-rage = Give the public key rage-keygen printed (it starts with age1).
err-set-editor-to-a-working = Set EDITOR to a working editor (for example nano), or use --file.
err-write-the-text-and-save = Write the text and save the file before closing the editor.
err-import-the-bundle-first-with = Import the bundle first with `meldpunt-keys import`, then confirm.
err-give-at-least-one-option = Give at least one option, see `meldpunt-keys status --help`.
err-there-is-nothing-to-save = There is nothing to save; `meldpunt-keys show` shows the case.
err-nothing-needs-to-be-done = Nothing needs to be done.
err-error = error
err-what-to-do = what to do
err-set-aside-not-for-this = { $n } set aside (not for this meldpunt, damaged or not a valid melding); `meldpunt-keys set-aside` lists them; the import confirmation has the server delete them.
err-melding = melding
err-follow-up = follow-up
err-attachment = attachment
err-not-encrypted-to-this-meldpunt = not encrypted to this meldpunt's key
err-damaged-or-not-an-age = damaged or not an age file
err-opens-but-is-not-a = opens, but is not a valid melding
err-by-its-content-belongs-to = by its content, belongs to another case
err-does-not-match-the-melding = does not match the melding that names it
err-belongs-to-an-item-that = belongs to an item that was set aside
err-item = item
err-is-not-encrypted-to-this = { $noun } { $id } is not encrypted to this meldpunt's key; set aside
err-nothing-to-do-someone-sealed = Nothing to do: someone sealed it to another key. Whoever holds an old key of this meldpunt can try to open it with rage.
err-is-damaged-or-not-an = { $noun } { $id } is damaged or not an age file; set aside{ $detail }
err-nothing-to-do-the-server = Nothing to do: the server received it like this. If it happens often, tell the administrator.
err-item-opens-but-is-not = item { $id } opens, but is not a valid melding; set aside{ $detail }
err-nothing-to-do-it-was = Nothing to do: it was not made by the melding page. If it happens often, tell the administrator.
err-by-its-content-item-does = by its content, item { $id } does not belong to the case the bundle puts it in; set aside
err-the-case-itself-is-unchanged = The case itself is unchanged. If it happens often, tell the server's administrator.
err-attachment-does-not-match-the = attachment { $id } does not match the melding that names it; set aside{ $detail }
err-the-melding-itself-was-imported = The melding itself was imported; `meldpunt-keys show` shows which attachment is missing.
err-attachment-belongs-to-an-item = attachment { $id } belongs to an item that was set aside; set aside too
err-nothing-to-do-see-the = Nothing to do; see the reason given for that item.
err-set-aside = { $noun } { $id } set aside{ $detail }
err-nothing-to-do-meldpunt-keys = Nothing to do; `meldpunt-keys set-aside` lists it.
err-note = note
show-case = Case
show-organisation = Organisation
show-channel = Channel
show-received = Received
show-outcome = Outcome
show-acknowledgement = Acknowledgement
show-feedback = Feedback
show-kind = Kind
show-about-whom = About whom
show-reporter = Reporter
show-attachments = Attachments
show-stored-meldpunt-keys-extract-to = { $attachments } stored (meldpunt-keys extract { $number } --to <folder>)
show-melding = Melding
show-follow-up-from-the-reporter = Follow-up from the reporter
show-exported = exported { $d }
show-not-exported-yet = not exported yet
show-reply-from-the-meldpunt = Reply from the meldpunt
show-note-for-the-meldpunt-only = Note (for the meldpunt only)
show-history = History
show-when-and-where = When and where
show-contact = Contact
show-stored-see-extract = stored; see extract
show-not-received = not received
show-attachment = Attachment
show-on-time = { $day }, on time
show-late = { $day }, late
show-due-days-late = due { $due }: { $arg } days late
show-due-days-left = due { $due } ({ $left } days left)
show-case-created = case created ({ $k })
show-melding-imported-received = melding imported (received { $d })
show-follow-up-imported-received = follow-up imported (received { $d })
show-attachment-imported-received = attachment imported (received { $d })
show-reply-written = reply written
show-reply-exported = reply exported
show-note-added = note added
show-attachments-saved-to-a-folder = { $count } attachments saved to a folder
show-acknowledgement-2 = acknowledgement: { $day }
show-feedback-2 = feedback: { $day }
show-outcome-2 = outcome: { $arg }
show-kind-2 = kind: { $arg }
show-reporter-2 = reporter: { $arg }
show-about-whom-2 = about whom: { $arg }
show-organisation-2 = organisation: { $detail }
list-late = ! { $what } { $n } { $plural ->
        [one] day
       *[other] days
    } late
list-acknowledgement = acknowledgement
list-feedback = feedback
list-by = { $ack } by { $due }
list-by-2 = { $fb } by { $due }
list-no-cases-match-this-selection = No cases match this selection.
list-no-cases-yet-import-a = No cases yet. Import a bundle from the server with `meldpunt-keys import <bundle.tar>`.
list-messages = Messages
list-replies = Replies
list-deadline = Deadline
list-kind = Kind
list-past-the-legal-deadline = { $late } { $plural ->
        [one] case is
       *[other] cases are
    } past the legal deadline.
init-meldpunt-keys-created-in = Meldpunt keys created in { $dir }.{"\u000A"}
init-identity-age-secret-key-that =
    {"  "}identity.age  secret key that opens meldingen (protected by the passphrase)
    {"  "}signing.age   secret key that signs replies (protected by the passphrase)
    {"  "}public.txt    public keys (not secret)
    {"  "}cases.db      the case store
    Now back up this folder to a separate USB stick and keep it locked away.

    Put this in the server's configuration (meldpunt-server); the recipients line goes in every
    {""}[[organisations]] block, one per organisation:{"\u000A"}{"\u000A"}
init-the-same-lines-are-in = The same lines are in { $f }: take that file to the server for `meldpunt-server setup`.{"\u000A"}{"\u000A"}
init-the-second-key-in-recipients = The second key in recipients is the recovery key: keep its secret part in the safe.{"\u000A"}{"\u000A"}
init-access-code-for-the-staff =
    Access code for the staff of the online machine (staff token). It is shown only now and not
    kept on this laptop; give it to whoever runs the online machine:{"\u000A"}{"\u000A"}
set-aside-bytes-of-item-saved-in = { $n } bytes of item { $id } saved in { $to }, exactly as the server received them (not decrypted).
set-aside-nothing-has-been-set-aside = Nothing has been set aside.
set-aside-item = Item
set-aside-set-aside = Set aside
set-aside-reason = Reason
set-aside-set-aside-the-import-confirmation = { $rows_len } set aside. The import confirmation has the server delete them; they stay kept here. Save one item's bytes with `meldpunt-keys set-aside <item> --to <file>`.
register-case-registered = Case { $number } registered.
rotate-put-this-line-in-every = Put this line in every [[organisations]] block of the server configuration (meldpunt-server):
rotate-recovery-key-set-of-the = Recovery key set; { $n } of the store's own texts were resealed, to the recovery key too. New meldingen open with it only if the server lists it as well.
export-there-are-no-new-replies = There are no new replies to export; no file was written.
export-written-to = { $n } { $plural ->
        [one] reply
       *[other] replies
    } written to { $out }.
input-type-the-text-and-finish = Type the text and finish with Ctrl-D on an empty line:
extract-original-name = original name
extract-attachments-of-case-saved-in = { $written_len } attachments of case { $number } saved in { $to }.
reply-dear-reporter-we-have-received =
    Dear reporter,

    We have received your report of { $received }. We treat it confidentially; your identity
    remains unknown to us unless you share it yourself.

    Within three months, by { $due } at the latest, we will let you know what has been done
    with your report. If you have more information in the meantime, send a follow-up
    message with your code.

    Kind regards,

    The integrity coördinator{"\u000A"}
reply-dear-reporter-we-have-looked =
    Dear reporter,

    We have looked into your report. ...

    Kind regards,

    The integrity coördinator{"\u000A"}
reply-reply-to-case-saved-ready = Reply to case { $number } saved; { $pending } ready for export-replies.
reply-this-reply-counts-as-the = This reply counts as the acknowledgement once it leaves the laptop with export-replies.
reply-this-reply-counts-as-the-2 = This reply counts as the feedback.
note-note-on-case-stored-encrypted = Note on case { $number } stored encrypted.
prompt-meldpunt-passphrase = Meldpunt passphrase:{" "}
prompt-choose-a-passphrase-of-at = Choose a passphrase of at least 12 characters. Without it nothing can be opened again: keep it safe.
prompt-new-passphrase = New passphrase:{" "}
prompt-once-more = Once more:{" "}
confirm-the-bundle-is-empty-there = The bundle is empty; there is nothing to confirm and no file was written.
confirm-import-confirmation-for-items-written = Import confirmation for { $total } items written to { $out }; take it to the online machine (POST /api/v1/staff/bevestiging) and the server deletes them.
confirm-import-confirmation-for-items-set = Import confirmation for { $total } items ({ $set_aside_len } set aside) written to { $out }; take it to the online machine (POST /api/v1/staff/bevestiging) and the server deletes them.
jaarverslag-annual-report-written-to = Annual report { $year } written to { $out }.
status-case-nothing-changed-it-was = Case { $number }: nothing changed (it was already so).
status-case-updated-changes-in-the = Case { $number } updated ({ $n } changes in the history).
import-opening = Opening
import-note-the-server-says-item = note: the server says item { $id } is for { $server } but its content says { $content }; the content counts
import-imported-already-present-skipped = { $imported } { $new } imported, { $duplicates } already present skipped.
import-new-cases = New cases:
import-attachments-stored = { $new_attachments } attachments stored.
report-total = Total
report-who-reported = Who reported
report-kind-of-report = Kind of report
report-referred-elsewhere = Referred elsewhere
report-legal-deadlines-met = Legal deadlines met
report-reports = Reports
report-own-organisation-staff-contractors-interns = Own organisation (staff, contractors, interns)
report-inhabitants-and-businesses = Inhabitants and businesses
report-other-or-unknown = Other or unknown
report-referred-to-another-body = Referred to another body
report-acknowledgement-within-7-days = Acknowledgement within 7 days
report-feedback-within-3-months = Feedback within 3 months
report-of = { $p } % ({ $met } of { $of })
report-whole-meldpunt = Whole meldpunt
report-integrity-annual-report = Integrity annual report
report-numbers-of-reports-by-year = Numbers of reports by year of receipt, with earlier years for comparison. A deadline counts once it has passed or was met.
report-organisation-section-code-label = organisation,section,code,label
report-integrity-reports = Integrity reports
report-by-kind-and-by-who = { $year }: by kind and by who reported
rotate-new-key-made = New key made for new meldingen; the old keys stay in identity.age and open older items.
err-locked = internal error (the keys are not unlocked)
err-text-not-utf8 = the text cannot be saved (the text is not UTF-8)
reply-editor-comment =
    # Write the reply to the reporter above. Lines starting with # are left out.
    # Save and close the editor to send; an empty text sends nothing.{"\u000A"}

## Help texts (clap)

help-main-about = The integrity coördinator's offline tool: keys, case store, replies. Never opens a network connection.
help-main-dir = Folder with keys and case store [default: $HOME/Meldpunt]
help-main-lang = Output language (Dutch by default; English when LANG starts with en)
help-main-help = Print help
help-main-version = Print version
help-main-recovery-identity = Open with this identity file (the recovery key from the safe) instead of identity.age and the passphrase
help-init-about = Make the meldpunt's keys (once) and print the server configuration
help-init-recovery = Public recovery key (age1…, made with rage-keygen; its secret part goes in the safe)
help-init-server-file = Also write the file for `meldpunt-server setup` (public keys and the access code's hash, nothing secret) to this new file, for example on the USB stick
help-init-json = Print what was made as JSON (for scripts) instead of as text
help-import-about = Import a bundle of meldingen, follow-ups and attachments from the server
help-import-bundle = The bundle (.tar) from the server
help-import-confirm = Also write the signed import confirmation for the server to this new file
help-confirm-about = Make the signed import confirmation of an imported bundle; with it the server deletes those items
help-confirm-bundle = The bundle (.tar) that has been imported
help-confirm-out = New file for the confirmation (.json)
help-set-aside-about = List the items an import set aside (not for this meldpunt, damaged, not a valid melding), or save one item's bytes (no passphrase needed)
help-set-aside-id = The item (32 hex digits, as the list shows it) whose bytes are saved
help-set-aside-to = New file for the bytes, exactly as the server received them (not decrypted)
help-list-about = List the cases with their deadlines, overdue first (no passphrase needed)
help-list-organisatie = Only this organisation
help-list-status = Only open cases (in progress) or only closed ones
help-list-year = Only cases received in this year
help-list-overdue = Only cases past a legal deadline
help-show-about = Show a case with all messages, replies, notes and its history
help-show-case = Case number, for example 2026-0001
help-extract-about = Save a case's attachments, decrypted, in a folder
help-extract-case = Case number, for example 2026-0001
help-extract-to = The folder (made if missing; existing files are kept)
help-reply-about = Write a reply to the reporter (from --file, standard input or $EDITOR with a standard text)
help-reply-case = Case number, for example 2026-0001
help-reply-file = File with the text of the reply
help-reply-editor = Open $EDITOR on the standard text (the acknowledgement while there is none)
help-reply-template = Only print the standard text to start from; nothing is sent
help-reply-terugkoppeling = This reply is the feedback on what was done with the report
help-status-about = Record the outcome, acknowledgement or feedback, or correct a field (no passphrase needed)
help-status-case = Case number, for example 2026-0001
help-status-afdoening = in-behandeling, gegrond, deels-gegrond, ongegrond, doorverwezen, voortijdig-beeindigd, niet-ontvankelijk
help-status-ontvangstbevestiging = Day of an acknowledgement given outside the server (YYYY-MM-DD or vandaag)
help-status-terugkoppeling = Day of feedback given outside the server (YYYY-MM-DD or vandaag)
help-status-organisatie = Correct the organisation
help-status-soort = Correct the kind of report (code)
help-status-melder = Correct who reported (code)
help-status-over-wie = Correct whom it is about (code)
help-note-about = Add an encrypted note to a case (text from --file or standard input)
help-note-case = Case number, for example 2026-0001
help-note-file = File with the text
help-register-about = Register a report that came in by another channel (text from --file or standard input)
help-register-kanaal = telefoon, e-mail, vertrouwenspersoon, persoonlijk or brief
help-register-organisatie = The organisation (slug)
help-register-soort = Kind of report (code)
help-register-melder = Who reported (code)
help-register-over-wie = Whom it is about (code)
help-register-ontvangen = Day received (default today)
help-register-file = File with the text
help-export-replies-about = Write the replies not yet exported to a bundle for the server
help-export-replies-out = New file for the bundle (.tar); never overwritten
help-export-replies-all = Export all replies again, including those exported before
help-jaarverslag-about = The figures for the integrity annual report, earlier years alongside (no passphrase needed)
help-jaarverslag-year = The year of the report
help-jaarverslag-organisatie = Only this organisation (default: the whole meldpunt and each organisation)
help-jaarverslag-format = md (Markdown), csv or svg (chart)
help-jaarverslag-years = Number of years side by side, the report's year last
help-jaarverslag-out = New file instead of standard output
help-rotate-about = Make a new key for new meldingen; the old one keeps opening older items
help-recovery-about = Set the recovery key (a second key kept in a safe) and reseal the store's own texts
help-recovery-recipient = Public key (age1…) of the recovery key
help-usage = Usage
help-commands = Commands
help-arguments = Arguments
help-options = Options
help-usage-hint = Use `meldpunt-keys --help` for an overview of the commands.

# What meldpunt-keys show and extract say about metadata still in an attachment
# (files the reporter's browser could not clean, or whose original the reporter kept).
leftover-found = { $name } still holds hidden details: { $what }.
leftover-not-checked = { $name } could not be checked for hidden details: { $reason }.
leftover-advice = These details can make the reporter recognisable. Do not pass the file on without removing them (with mat2, for example), or pass on a screenshot or a print to PDF.
leftover-why-unknown-format = meldpunt-keys cannot read this kind of file
leftover-why-heic = a HEIC photo (iPhone)
leftover-why-damaged = the file seems damaged
leftover-why-encrypted = the file is protected with a password
leftover-why-too-large = the file is too large or too complex to check
leftover-location = where the photo was taken
leftover-camera = the make and model of the camera
leftover-camera-serial = the camera's serial number
leftover-author = the name of the maker or editor
leftover-organisation = the name of the organisation
leftover-software = the program it was made with
leftover-dates = the date and time it was made and edited
leftover-comments = comments and descriptions
leftover-title = title, subject and keywords
leftover-thumbnail = a small copy of the image
leftover-revision-ids = numbers that link versions of the file
leftover-custom-properties = extra properties of the document
leftover-other = other hidden details
