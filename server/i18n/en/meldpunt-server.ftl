# The server's pages in English. Every id here is also in ../nl/meldpunt-server.ftl;
# server/src/catalogue.rs tests both and the code's use.

## The no-JavaScript path (/zonder-js): shared

zj-links-label = Further
zj-link-replies = Read replies with your token
zj-link-vervolg = Send a follow-up with your token
zj-link-start = Back to the start: make a new melding
zj-error-title = That did not work
zj-error-page-title = Error
zj-error-back = Back to the form
zj-summary-title = There is a problem
zj-err-unreadable = The form could not be read.
zj-err-busy = The meldpunt is very busy right now; nothing was stored. Try again in a minute.
zj-err-too-large = The form is too large; nothing was stored.
zj-err-timeout = The form arrived too slowly; nothing was stored. Try again.
zj-err-media-type = Send the form from the page /zonder-js.
zj-err-internal = Something went wrong on the server; nothing was stored. Try again later.
zj-err-token = This is not a valid token. Check that you copied it correctly (32 characters, such as XXXX-XXXX-…).
zj-err-no-case = No melding belongs to this token. Check that you copied it correctly.
zj-err-text-long = The text is too long: at most 256 KiB.
zj-label-token = Your token
zj-hint-token = 32 characters, such as XXXX-XXXX-…
zj-hint-optional = Optional.

## The melding form

zj-form-page-title = Melding without JavaScript
zj-form-title = Make a melding without JavaScript
zj-form-honest = Please note: without JavaScript your browser cannot seal the melding itself. The text then travels (inside the secure connection) to the server, which seals it in memory for the meldpunt, stores only the sealed melding and wipes the text straight after. With JavaScript on, sealing happens in your own browser and the server never sees the text.
zj-form-no-attachments = Attachments can only be sent with JavaScript. Do not give names you do not need to give.
zj-label-org = Organisation
zj-choose-org = Choose an organisation
zj-label-soort = Kind of melding
zj-choose-soort = Choose a kind of melding
zj-label-over-wie = Whom is it about?
zj-hint-bestuurder = Do you choose ‘An office holder (political)’, a bestuurder (such as the mayor, an alderman or a council member)? These organisations have named separate recipients for this: { $names }. If you choose one of them, the server seals your melding for those separate recipients only: the meldpunt's usual recipients do not read it, and they handle it under a protocol of their own. Your later follow-ups go to them too, and the replies come from them. At the other organisations the meldpunt's usual recipients read it and handle it with care.
zj-hint-bestuurder-none = Do you choose ‘An office holder (political)’, a bestuurder (such as the mayor, an alderman or a council member)? These organisations have no separate recipients for meldingen about a bestuurder: the meldpunt's recipients read your melding and handle it with care.
zj-rather-not-say = (I would rather not say)
zj-label-melder = Who is reporting?
zj-label-text = What happened?
zj-hint-text = As precisely as you can: what, who (role), how often.
zj-label-when = When and where?
zj-send-melding = Send the melding (the server seals it)
zj-err-org = Choose an organisation from the list.
zj-err-soort = Choose a kind of melding from the list.
zj-err-over-wie = Choose ‘whom’ from the list.
zj-err-melder = Choose ‘who’ from the list.
zj-err-text-empty = Write what happened.
zj-err-when-long = ‘When and where’ is too long: at most 4 KiB.
zj-err-damaged = This form is damaged; nothing was stored. Open the form again.

## After the melding

zj-received-page-title = Melding received
zj-received-title = Your melding has been received
zj-received-ok = The melding is stored sealed. Only the meldpunt can open it.
zj-received-bestuurder = Your melding is sealed only for the separate recipients of meldingen about a bestuurder at { $name }. They read it and handle it under their own protocol; the meldpunt's usual recipients do not read it.
zj-token-title = Your token (shown only once)
zj-token-text = Write this token down or keep it safe. Only with it can you read the meldpunt's replies later and send a follow-up. Without JavaScript the server made this token and sealed your melding with it; then it wiped it. It keeps only a derived look-up key from which the token cannot be worked out, so nobody can give it to you again: if you lose it, it is gone.
zj-receipt-title = Receipt (ontvangstbewijs)
zj-receipt-text = Signed by the server: with it you can later prove that and when you reported. Download it and keep it, apart from your token.
zj-receipt-download = Download the receipt (text file)
zj-receipt-show = See the signed data
zj-next-title = What next
zj-next-text = The meldpunt acknowledges receipt within 7 days and gives feedback within 3 months. Look with your token whether there is a reply; you can send a follow-up there too.

## Replies

zj-replies-page-title = Replies
zj-replies-form-title = See replies without JavaScript
zj-replies-honest = Without JavaScript your browser sends the token to the server. The server derives the keys in memory, checks each reply's signature, opens it, and wipes the token and the text straight after. With JavaScript on, the token never leaves your browser.
zj-show-replies = Show replies
zj-replies-title = Replies to your melding
zj-reply-of = Reply of { $day }
zj-reply-unverified = This reply could not be verified and is not shown: it was not signed by the meldpunt, or it is damaged.
zj-no-reply-yet = There is no reply yet. The meldpunt acknowledges receipt within 7 days and gives feedback within 3 months.

## The follow-up (vervolg)

zj-vervolg-page-title = Send a follow-up without JavaScript
zj-vervolg-honest = Without JavaScript your token and the text travel (inside the secure connection) to the server. It seals the follow-up in memory for the same recipients as your melding, stores only the sealed follow-up and wipes the token and the text straight after.
zj-vervolg-title = Send a follow-up
zj-vervolg-text = Answer a question of the meldpunt or add to your melding. It goes to the same recipients as your melding.
zj-label-vervolg = Your follow-up
zj-hint-vervolg = Do not give names you do not need to give.
zj-send-vervolg = Send the follow-up (the server seals it)
zj-err-vervolg-empty = Write your follow-up.
zj-vervolg-received-title = Your follow-up has been received
zj-vervolg-received-ok = The follow-up is stored sealed with your melding. Only the meldpunt can open it.
zj-back-to-replies = Back to the replies

## The ontvangstbewijs as a file (server/src/receipt_file.rs)

receipt-file-title = Receipt (ontvangstbewijs) of { $name }
receipt-file-proves = This receipt is signed by the meldpunt's server. It shows that on the day named the meldpunt received a sealed message for the case that belongs to your token. What it said is not in here.
receipt-file-organisation = Organisation
receipt-file-received = Received on
receipt-file-item = Message
receipt-file-case = Case (look-up key hash)
receipt-file-verify = How to check it: the part between the two dashed lines is the signed receipt. Anyone can check the signature with the server's key (receipt_key at the meldpunt's /api/v1/config), as docs/PROTOCOL.md describes under ‘Ontvangstbewijs’. That the case is yours you show with your token: the look-up key hash is derived from it. Do not change anything in the file.

## The staff page (/staff)

staff-title = Meldpunt: staff
staff-intro = The online step of the weekly round. The staff token stays in this page only; the server does not keep it.
staff-token = Staff token
staff-export-title = 1. Fetch new meldingen
staff-export-text = Download the inbox bundle and carry it to the laptop on a USB stick (meldpunt-keys import).
staff-export-button = Download inbox
staff-replies-title = 2. Upload replies
staff-replies-text = The bundle meldpunt-keys export-replies made. Every signature is checked; a bundle with one fault is refused whole.
staff-replies-label = Replies bundle (.tar)
staff-replies-button = Upload replies
staff-confirm-title = 3. Upload import confirmation
staff-confirm-text = After the import on the laptop: the signed confirmation. The server then deletes the sealed meldingen the laptop holds.
staff-confirm-label = Import confirmation (.json)
staff-confirm-button = Upload confirmation
staff-result-title = Result
staff-result-none = Nothing done yet.

## What /assets/staff.js shows (rendered into the staff page as data-texts)

staff-js-no-token = Paste the staff token first.
staff-js-no-file = Choose a file first.
staff-js-busy = Working…
staff-js-exported = Downloaded { $name } ({ $n } bytes). Carry it to the laptop.
staff-js-imported = Replies imported: { $new } new, { $known } already there.
staff-js-confirmed = Confirmation accepted: { $deleted } items deleted from the server, { $unknown } not (or no longer) held.
staff-js-set-aside = Of the deleted items, { $n } were set aside on the laptop (not for this meldpunt, damaged or not a valid melding); `meldpunt-keys set-aside` lists them.
staff-js-failed = Refused ({ $status }): { $message }
staff-js-network = The server could not be reached.
