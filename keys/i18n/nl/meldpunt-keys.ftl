err-no-folder-was-given-and = er is geen map opgegeven en $HOME is niet bekend
err-already-holds-meldpunt-keys-they = in { $d } staan al meldpuntsleutels; ze worden niet overschreven
err-holds-no-meldpunt-keys-identity = in { $d } staan geen meldpuntsleutels (identity.age ontbreekt)
err-cannot-ask-for-the-passphrase = de wachtwoordzin kan niet worden gevraagd: er is geen terminal en MELDPUNT_PASSPHRASE is niet gezet
err-the-passphrase-is-too-short = de wachtwoordzin is te kort (minstens 12 tekens)
err-the-two-passphrases-differ = de twee wachtwoordzinnen zijn niet gelijk
err-meldpunt-scrypt-log-n-is = MELDPUNT_SCRYPT_LOG_N={ $v } is geen getal van 1 tot en met 30
err-the-passphrase-does-not-open = de wachtwoordzin opent { $p } niet
err-is-damaged-or-not-a = { $p } is beschadigd of geen meldpuntsleutel ({ $d })
err-cannot-read = { $path } kan niet worden gelezen ({ $detail })
err-cannot-write = { $path } kan niet worden geschreven ({ $detail })
err-cannot-create-the-folder = map { $path } kan niet worden aangemaakt ({ $detail })
err-the-file-does-not-exist = het bestand { $p } bestaat niet
err-is-not-a-valid-meldpunt = { $p } is geen geldige meldpuntbundel; er is niets geïmporteerd ({ $d })
err-is-a-bundle-of-replies = { $p } is een bundel met reacties, geen bundel met meldingen; er is niets geïmporteerd
err-this-bundle-comes-from-another = deze bundel komt van een ander meldpunt: hij noemt de ondertekensleutel { $theirs }, dit meldpunt heeft { $ours }; er is niets geïmporteerd
err-there-is-no-set-aside = er is geen apart gezet bericht { $id }
err-item-was-imported-before-but = bericht { $id } is al geïmporteerd, maar met een andere inhoud of bij een andere zaak; er is niets geïmporteerd
err-there-is-no-case = er is geen zaak { $c }
err-the-reply-cannot-be-sent = de reactie kan niet worden verstuurd ({ $d })
err-already-exists-and-is-not = { $p } bestaat al en wordt niet overschreven
err-the-case-store-reported-an = het zaakregister { $p } geeft een fout ({ $d })
err-the-case-store-was-made = het zaakregister { $p } is gemaakt door een nieuwere versie van meldpunt-keys
err-internal-error = interne fout ({ $d })
err-does-not-belong-to-this = { $p } hoort niet bij dit meldpunt: de sleutel past niet bij public.txt
err-the-recovery-key-cannot-sign = met de herstelsleutel kan niets worden ondertekend (reacties, importbevestigingen)
err-case-came-in-by-there = zaak { $c } is binnengekomen via { $k }; er is geen reactiekanaal via de server
err-is-not-a-valid-value = { $v } is geen geldige waarde voor { $what }
err-is-not-a-valid-date = { $v } is geen geldige datum
err-is-before-the-day-the = { $d } ligt vóór de dag van ontvangst ({ $r })
err-is-not-an-age-public = { $v } is geen publieke age-sleutel (age1…)
err-the-editor-could-not-be = de editor kon niet worden gestart of is met een fout gestopt ({ $d }); er is niets verstuurd
err-the-text-was-left-empty = de tekst is leeg gelaten; er is niets opgeslagen
err-the-text-cannot-be-saved = de tekst kan niet worden opgeslagen ({ $d })
err-item-of-is-not-in = bericht { $id } uit { $p } staat niet (of met een andere inhoud) in het zaakregister; er is geen bevestiging gemaakt
err-nothing-to-change-was-given = er is niets te wijzigen opgegeven
err-case-has-no-attachments = zaak { $c } heeft geen bijlagen
err-this-recovery-key-is-already = deze herstelsleutel is al ingesteld
err-internal-error-2 = interne fout ({ $other })
err-give-the-folder-with-dir = Geef de map op met --dir of MELDPUNT_DIR.
err-use-the-existing-keys-or = Gebruik de bestaande sleutels, of kies met --dir een andere, lege map.
err-check-dir-or-meldpunt-dir = Controleer --dir (of MELDPUNT_DIR), of maak eerst sleutels met `meldpunt-keys init`.
err-run-the-command-in-a = Start de opdracht in een terminal, of zet de wachtwoordzin in MELDPUNT_PASSPHRASE.
err-choose-a-longer-passphrase-for = Kies een langere wachtwoordzin, bijvoorbeeld vier of vijf losse woorden.
err-start-again-and-type-the = Start opnieuw en typ twee keer hetzelfde.
err-unset-meldpunt-scrypt-log-n = Haal MELDPUNT_SCRYPT_LOG_N weg; die is alleen voor tests.
err-try-again-minding-capitals-and = Probeer het opnieuw en let op hoofdletters en spaties.
err-restore-the-file-from-the = Zet het bestand terug uit de reservekopie van de sleutelmap.
err-check-the-path-the-permissions = Controleer het pad, de rechten en of de schijf of USB-stick vol is.
err-check-the-name-and-whether = Controleer de naam en of de USB-stick aangesloten is.
err-fetch-the-bundle-from-the = Haal de bundel opnieuw op van de online machine en importeer hem nog eens.
err-reply-bundles-go-to-the = Reactiebundels gaan naar de server; importeer hier de bundel die de server exporteert.
err-fetch-the-bundle-from-this = Haal de bundel op bij de server van dit meldpunt (controleer het adres en het staff-token), of kies met --dir de map van het meldpunt waar hij bij hoort. Is het toch de eigen server, zet dan in de serverconfiguratie signing_public_key op de waarde uit public.txt.
err-see-the-set-aside-items = Bekijk de apart gezette berichten met `meldpunt-keys set-aside`.
err-check-that-the-bundle-comes = Controleer of de bundel van de server van dit meldpunt komt; meld het aan de beheerder als dat zo is.
err-see-the-case-numbers-with = Bekijk de zaaknummers met `meldpunt-keys list`.
err-write-a-non-empty-text = Schrijf een niet-lege tekst van hooguit 256 KiB en probeer het opnieuw.
err-choose-another-file-name = Kies een andere bestandsnaam.
err-close-other-meldpunt-keys-windows = Sluit andere meldpunt-keys-vensters en probeer het opnieuw; blijft dit, zet dan de reservekopie terug.
err-use-the-newest-version-of = Gebruik de nieuwste versie van meldpunt-keys.
err-this-is-a-bug-in = Dit is een fout in meldpunt-keys; meld hem aan de beheerder.
err-check-dir-or-meldpunt-dir-2 = Controleer --dir (of MELDPUNT_DIR), of zet de sleutelbestanden van dit meldpunt terug uit de reservekopie.
err-use-the-ordinary-keys-with = Gebruik de gewone sleutels met de wachtwoordzin (zonder --recovery-identity).
err-get-in-touch-the-way = Neem contact op langs de weg waarlangs de melding kwam, en leg dat vast met `meldpunt-keys status`.
err-choose-one-of-the-values = Kies een van de waarden uit `meldpunt-keys <opdracht> --help`.
err-write-the-date-as-yyyy = Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2026-03-01, of `vandaag`.
err-check-the-date-meldpunt-keys = Controleer de datum; `meldpunt-keys show` toont wanneer de melding binnenkwam.
err-give-the-public-key-rage = Geef de publieke sleutel die rage-keygen toonde (begint met age1).
err-set-editor-to-a-working = Zet EDITOR op een editor die werkt (bijvoorbeeld nano), of gebruik --file.
err-write-the-text-and-save = Schrijf de tekst en sla het bestand op voordat u de editor sluit.
err-import-the-bundle-first-with = Importeer de bundel eerst met `meldpunt-keys import`, en bevestig daarna.
err-give-at-least-one-option = Geef minstens één optie, zie `meldpunt-keys status --help`.
err-there-is-nothing-to-save = Er is niets op te slaan; `meldpunt-keys show` toont de zaak.
err-nothing-needs-to-be-done = Er hoeft niets te gebeuren.
err-error = fout
err-what-to-do = wat nu
err-set-aside-not-for-this = { $n } apart gezet (niet voor dit meldpunt, beschadigd of geen geldige melding); `meldpunt-keys set-aside` toont ze; met de importbevestiging wist de server ze.
err-melding = melding
err-follow-up = vervolgbericht
err-attachment = bijlage
err-not-encrypted-to-this-meldpunt = niet versleuteld voor de sleutel van dit meldpunt
err-damaged-or-not-an-age = beschadigd of geen age-bestand
err-opens-but-is-not-a = gaat open, maar is geen geldige melding
err-by-its-content-belongs-to = hoort volgens de inhoud bij een andere zaak
err-does-not-match-the-melding = past niet bij de melding die hem noemt
err-belongs-to-an-item-that = hoort bij een bericht dat apart is gezet
err-item = bericht
err-is-not-encrypted-to-this = { $noun } { $id } is niet versleuteld voor de sleutel van dit meldpunt; apart gezet
err-nothing-to-do-someone-sealed = Niets te doen: iemand heeft het aan een andere sleutel gericht. Wie een oude sleutel van dit meldpunt heeft, kan het met rage proberen te openen.
err-is-damaged-or-not-an = { $noun } { $id } is beschadigd of geen age-bestand; apart gezet{ $detail }
err-nothing-to-do-the-server = Niets te doen: de server heeft het zo ontvangen. Komt dit vaak voor, meld het dan aan de beheerder.
err-item-opens-but-is-not = bericht { $id } gaat open, maar is geen geldige melding; apart gezet{ $detail }
err-nothing-to-do-it-was = Niets te doen: het is niet met de meldpagina gemaakt. Komt dit vaak voor, meld het dan aan de beheerder.
err-by-its-content-item-does = bericht { $id } hoort volgens de inhoud niet bij de zaak waar de bundel het bij zet; apart gezet
err-the-case-itself-is-unchanged = De zaak zelf is niet veranderd. Komt dit vaak voor, meld het dan aan de beheerder van de server.
err-attachment-does-not-match-the = bijlage { $id } past niet bij de melding die hem noemt; apart gezet{ $detail }
err-the-melding-itself-was-imported = De melding zelf is geïmporteerd; `meldpunt-keys show` toont welke bijlage ontbreekt.
err-attachment-belongs-to-an-item = bijlage { $id } hoort bij een bericht dat apart is gezet; ook apart gezet
err-nothing-to-do-see-the = Niets te doen; zie de reden bij dat bericht.
err-set-aside = { $noun } { $id } apart gezet{ $detail }
err-nothing-to-do-meldpunt-keys = Niets te doen; `meldpunt-keys set-aside` toont het.
err-note = let op
show-case = Zaak
show-organisation = Organisatie
show-channel = Kanaal
show-received = Ontvangen
show-outcome = Afdoening
show-acknowledgement = Ontvangstbevestiging
show-feedback = Terugkoppeling
show-kind = Soort melding
show-about-whom = Over wie
show-reporter = Melder
show-attachments = Bijlagen
show-stored-meldpunt-keys-extract-to = { $attachments } opgeslagen (meldpunt-keys extract { $number } --to <map>)
show-melding = Melding
show-follow-up-from-the-reporter = Vervolgbericht van de melder
show-exported = geëxporteerd { $d }
show-not-exported-yet = nog niet geëxporteerd
show-reply-from-the-meldpunt = Reactie van het meldpunt
show-note-for-the-meldpunt-only = Notitie (alleen voor het meldpunt)
show-history = Geschiedenis
show-when-and-where = Wanneer en waar
show-contact = Contact
show-stored-see-extract = opgeslagen; zie extract
show-not-received = niet ontvangen
show-attachment = Bijlage
show-on-time = { $day }, op tijd
show-late = { $day }, te laat
show-due-days-late = uiterlijk { $due }: { $arg } dagen te laat
show-due-days-left = uiterlijk { $due } (nog { $left } dagen)
show-case-created = zaak aangemaakt ({ $k })
show-melding-imported-received = melding geïmporteerd (ontvangen { $d })
show-follow-up-imported-received = vervolgbericht geïmporteerd (ontvangen { $d })
show-attachment-imported-received = bijlage geïmporteerd (ontvangen { $d })
show-reply-written = reactie geschreven
show-reply-exported = reactie geëxporteerd
show-note-added = notitie toegevoegd
show-attachments-saved-to-a-folder = { $count } bijlagen opgeslagen in een map
show-acknowledgement-2 = ontvangstbevestiging: { $day }
show-feedback-2 = terugkoppeling: { $day }
show-outcome-2 = afdoening: { $arg }
show-kind-2 = soort: { $arg }
show-reporter-2 = melder: { $arg }
show-about-whom-2 = over wie: { $arg }
show-organisation-2 = organisatie: { $detail }
list-late = ! { $what } { $n } { $plural ->
        [one] dag
       *[other] dagen
    } te laat
list-acknowledgement = ontvangstbevestiging
list-feedback = terugkoppeling
list-by = { $ack } vóór { $due }
list-by-2 = { $fb } vóór { $due }
list-no-cases-match-this-selection = Geen zaken die aan deze keuze voldoen.
list-no-cases-yet-import-a = Nog geen zaken. Importeer een bundel van de server met `meldpunt-keys import <bundel.tar>`.
list-messages = Berichten
list-replies = Reacties
list-deadline = Termijn
list-kind = Soort
list-past-the-legal-deadline = { $late } { $plural ->
        [one] zaak is
       *[other] zaken zijn
    } over de wettelijke termijn.
init-meldpunt-keys-created-in = Sleutels van het meldpunt aangemaakt in { $dir }.{"\u000A"}
init-identity-age-secret-key-that =
    {"  "}identity.age  geheime sleutel die meldingen opent (beveiligd met de wachtwoordzin)
    {"  "}signing.age   geheime sleutel die reacties ondertekent (beveiligd met de wachtwoordzin)
    {"  "}public.txt    publieke sleutels (niet geheim)
    {"  "}cases.db      het zaakregister
    Maak nu een reservekopie van deze map op een aparte USB-stick en bewaar die achter slot.

    Zet dit in de configuratie van de server (meldpunt-server); de regel recipients hoort in elk
    {""}[[organisations]]-blok, één per organisatie:{"\u000A"}{"\u000A"}
init-the-same-lines-are-in = Dezelfde regels staan in { $f }: neem dat bestand mee naar de server voor `meldpunt-server setup`.{"\u000A"}{"\u000A"}
init-the-second-key-in-recipients = De tweede sleutel in recipients is de herstelsleutel: bewaar zijn geheime deel in de kluis.{"\u000A"}{"\u000A"}
init-access-code-for-the-staff =
    Toegangscode voor de medewerkers van de online machine (staff token). Hij wordt alleen nu getoond
    en niet op deze laptop bewaard; geef hem aan wie de online machine bedient:{"\u000A"}{"\u000A"}
set-aside-bytes-of-item-saved-in = { $n } bytes van bericht { $id } opgeslagen in { $to }, precies zoals de server ze ontving (niet ontsleuteld).
set-aside-nothing-has-been-set-aside = Er is niets apart gezet.
set-aside-item = Bericht
set-aside-set-aside = Apart gezet
set-aside-reason = Reden
set-aside-set-aside-the-import-confirmation = { $rows_len } apart gezet. Met de importbevestiging wist de server ze; hier blijven ze bewaard. Sla de bytes van één bericht op met `meldpunt-keys set-aside <bericht> --to <bestand>`.
register-case-registered = Zaak { $number } geregistreerd.
rotate-put-this-line-in-every = Zet deze regel in elk [[organisations]]-blok van de serverconfiguratie (meldpunt-server):
rotate-recovery-key-set-of-the = Herstelsleutel ingesteld; { $n } eigen teksten in het zaakregister zijn opnieuw versleuteld, ook voor de herstelsleutel. Nieuwe meldingen zijn er alleen mee te openen als de server hem ook noemt.
export-there-are-no-new-replies = Er zijn geen nieuwe reacties om te exporteren; er is geen bestand gemaakt.
export-written-to = { $n } { $plural ->
        [one] reactie
       *[other] reacties
    } geschreven naar { $out }.
input-type-the-text-and-finish = Typ de tekst en sluit af met Ctrl-D op een lege regel:
extract-original-name = oorspronkelijke naam
extract-attachments-of-case-saved-in = { $written_len } bijlagen van zaak { $number } opgeslagen in { $to }.
reply-dear-reporter-we-have-received =
    Geachte melder,

    Wij hebben uw melding van { $received } in goede orde ontvangen. Wij behandelen haar
    vertrouwelijk; uw identiteit blijft bij ons onbekend, tenzij u die zelf met ons deelt.

    Binnen drie maanden, uiterlijk op { $due }, laten wij u weten wat er met uw melding is
    gedaan. Heeft u in de tussentijd aanvullende informatie, stuur dan een vervolgbericht
    met uw code.

    Met vriendelijke groet,

    De integriteitscoördinator{"\u000A"}
reply-dear-reporter-we-have-looked =
    Geachte melder,

    Wij hebben uw melding onderzocht. ...

    Met vriendelijke groet,

    De integriteitscoördinator{"\u000A"}
reply-reply-to-case-saved-ready = Reactie op zaak { $number } opgeslagen; { $pending } klaar voor export-replies.
reply-this-reply-counts-as-the = Deze reactie geldt als ontvangstbevestiging zodra ze met export-replies de laptop verlaat.
reply-this-reply-counts-as-the-2 = Deze reactie geldt als terugkoppeling.
note-note-on-case-stored-encrypted = Notitie bij zaak { $number } versleuteld opgeslagen.
prompt-meldpunt-passphrase = Wachtwoordzin van het meldpunt:{" "}
prompt-choose-a-passphrase-of-at = Kies een wachtwoordzin van minstens 12 tekens. Zonder die wachtwoordzin is niets meer te openen: bewaar hem veilig.
prompt-new-passphrase = Nieuwe wachtwoordzin:{" "}
prompt-once-more = Nog een keer:{" "}
confirm-the-bundle-is-empty-there = De bundel is leeg; er is niets te bevestigen en er is geen bestand gemaakt.
confirm-import-confirmation-for-items-written = Importbevestiging voor { $total } berichten geschreven naar { $out }; breng hem naar de online machine (POST /api/v1/staff/bevestiging), dan wist de server ze.
confirm-import-confirmation-for-items-set = Importbevestiging voor { $total } berichten ({ $set_aside_len } apart gezet) geschreven naar { $out }; breng hem naar de online machine (POST /api/v1/staff/bevestiging), dan wist de server ze.
jaarverslag-annual-report-written-to = Jaarverslag { $year } geschreven naar { $out }.
status-case-nothing-changed-it-was = Zaak { $number }: er is niets veranderd (alles stond al zo).
status-case-updated-changes-in-the = Zaak { $number } bijgewerkt ({ $n } wijzigingen in de geschiedenis).
import-opening = Openen
import-note-the-server-says-item = let op: bericht { $id } is volgens de server voor { $server } maar volgens de inhoud voor { $content }; de inhoud geldt
import-imported-already-present-skipped = { $imported } { $nieuw } geïmporteerd, { $duplicates } al aanwezig overgeslagen.
import-new-cases = Nieuwe zaken:
import-attachments-stored = { $new_attachments } bijlagen opgeslagen.
report-total = Totaal
report-who-reported = Wie meldde
report-kind-of-report = Soort melding
report-referred-elsewhere = Doorverwezen
report-legal-deadlines-met = Wettelijke termijnen gehaald
report-reports = Meldingen
report-own-organisation-staff-contractors-interns = Eigen organisatie (medewerkers, inhuur, stagiairs)
report-inhabitants-and-businesses = Inwoners en ondernemers
report-other-or-unknown = Anders of onbekend
report-referred-to-another-body = Doorverwezen naar een andere instantie
report-acknowledgement-within-7-days = Ontvangstbevestiging binnen 7 dagen
report-feedback-within-3-months = Terugkoppeling binnen 3 maanden
report-of = { $p } % ({ $met } van { $of })
report-whole-meldpunt = Hele meldpunt
report-integrity-annual-report = Jaarverslag integriteit
report-numbers-of-reports-by-year = Aantallen meldingen naar jaar van ontvangst, met eerdere jaren ter vergelijking. Een termijn telt mee zodra hij verstreken is of gehaald.
report-organisation-section-code-label = organisatie,onderdeel,code,omschrijving
report-integrity-reports = Meldingen integriteit
report-by-kind-and-by-who = { $year }: per soort en naar wie meldde
rotate-new-key-made = Nieuwe sleutel gemaakt voor nieuwe meldingen; de oude sleutels blijven in identity.age en openen oudere berichten.
err-locked = interne fout (de sleutels zijn niet geopend)
err-text-not-utf8 = de tekst kan niet worden opgeslagen (de tekst is geen UTF-8)
reply-editor-comment =
    # Schrijf hierboven de reactie aan de melder. Regels die met # beginnen worden
    # weggelaten. Sla op en sluit de editor om te versturen; een lege tekst verstuurt niets.{"\u000A"}

## Help texts (clap)

help-main-about = Offline gereedschap van de integriteitscoördinator: sleutels, zaakregister, reacties. Opent nooit een netwerkverbinding.
help-main-dir = Map met sleutels en zaakregister [standaard: $HOME/Meldpunt]
help-main-lang = Taal van de uitvoer (standaard Nederlands; Engels als LANG met en begint)
help-main-help = Toon deze hulp
help-main-version = Toon de versie
help-main-recovery-identity = Open met dit identiteitsbestand (de herstelsleutel uit de kluis) in plaats van identity.age en de wachtwoordzin
help-init-about = Maak de sleutels van het meldpunt (eenmalig) en toon de serverconfiguratie
help-init-recovery = Publieke herstelsleutel (age1…, gemaakt met rage-keygen; het geheime deel gaat in de kluis)
help-init-server-file = Schrijf ook het bestand voor `meldpunt-server setup` (publieke sleutels en de hash van de toegangscode, niets geheims) naar dit nieuwe bestand, bijvoorbeeld op de USB-stick
help-init-json = Toon wat er gemaakt is als JSON (voor scripts), in plaats van als tekst
help-import-about = Importeer een bundel met meldingen, vervolgberichten en bijlagen van de server
help-import-bundle = De bundel (.tar) van de server
help-import-confirm = Schrijf ook de ondertekende importbevestiging voor de server naar dit nieuwe bestand
help-confirm-about = Maak de ondertekende importbevestiging van een geïmporteerde bundel; daarmee wist de server die berichten
help-confirm-bundle = De bundel (.tar) die al geïmporteerd is
help-confirm-out = Nieuw bestand voor de bevestiging (.json)
help-set-aside-about = Toon de berichten die een import apart zette (niet voor dit meldpunt, beschadigd, geen geldige melding), of sla de bytes van één ervan op (zonder wachtwoordzin)
help-set-aside-id = Het bericht (32 hexadecimale tekens, zoals de lijst het toont) waarvan de bytes opgeslagen worden
help-set-aside-to = Nieuw bestand voor de bytes, precies zoals de server ze ontving (niet ontsleuteld)
help-list-about = Toon de zaken met hun termijnen, te late eerst (zonder wachtwoordzin)
help-list-organisatie = Alleen deze organisatie
help-list-status = Alleen open zaken (in behandeling) of alleen gesloten zaken
help-list-year = Alleen zaken ontvangen in dit jaar
help-list-overdue = Alleen zaken over de wettelijke termijn
help-show-about = Toon een zaak met alle berichten, reacties, notities en de geschiedenis
help-show-case = Zaaknummer, bijvoorbeeld 2026-0001
help-extract-about = Sla de bijlagen van een zaak ontsleuteld op in een map
help-extract-case = Zaaknummer, bijvoorbeeld 2026-0001
help-extract-to = De map (wordt gemaakt als hij er niet is; bestaande bestanden blijven staan)
help-reply-about = Schrijf een reactie aan de melder (uit --file, standaardinvoer of $EDITOR met een standaardtekst)
help-reply-case = Zaaknummer, bijvoorbeeld 2026-0001
help-reply-file = Bestand met de tekst van de reactie
help-reply-editor = Open $EDITOR met de standaardtekst (ontvangstbevestiging zolang die er niet is)
help-reply-template = Toon alleen de standaardtekst om van uit te gaan; er wordt niets verstuurd
help-reply-terugkoppeling = Deze reactie is de terugkoppeling over wat er met de melding is gedaan
help-status-about = Leg de afdoening, ontvangstbevestiging of terugkoppeling vast, of verbeter een gegeven (zonder wachtwoordzin)
help-status-case = Zaaknummer, bijvoorbeeld 2026-0001
help-status-afdoening = in-behandeling, gegrond, deels-gegrond, ongegrond, doorverwezen, voortijdig-beeindigd, niet-ontvankelijk
help-status-ontvangstbevestiging = Dag van de ontvangstbevestiging buiten de server om (JJJJ-MM-DD of vandaag)
help-status-terugkoppeling = Dag van de terugkoppeling buiten de server om (JJJJ-MM-DD of vandaag)
help-status-organisatie = Verbeter de organisatie
help-status-soort = Verbeter de soort melding (code)
help-status-melder = Verbeter wie meldde (code)
help-status-over-wie = Verbeter over wie het gaat (code)
help-note-about = Voeg een versleutelde notitie toe aan een zaak (tekst uit --file of standaardinvoer)
help-note-case = Zaaknummer, bijvoorbeeld 2026-0001
help-note-file = Bestand met de tekst
help-register-about = Registreer een melding die via een ander kanaal binnenkwam (tekst uit --file of standaardinvoer)
help-register-kanaal = telefoon, e-mail, vertrouwenspersoon, persoonlijk of brief
help-register-organisatie = De organisatie (slug)
help-register-soort = Soort melding (code)
help-register-melder = Wie meldde (code)
help-register-over-wie = Over wie het gaat (code)
help-register-ontvangen = Dag van ontvangst (standaard vandaag)
help-register-file = Bestand met de tekst
help-export-replies-about = Schrijf de nog niet geëxporteerde reacties naar een bundel voor de server
help-export-replies-out = Nieuw bestand voor de bundel (.tar); wordt nooit overschreven
help-export-replies-all = Exporteer alle reacties opnieuw, ook eerder geëxporteerde
help-jaarverslag-about = De cijfers voor het jaarverslag integriteit, met eerdere jaren ernaast (zonder wachtwoordzin)
help-jaarverslag-year = Het verslagjaar
help-jaarverslag-organisatie = Alleen deze organisatie (standaard: het hele meldpunt en elke organisatie)
help-jaarverslag-format = md (Markdown), csv of svg (grafiek)
help-jaarverslag-years = Aantal jaren naast elkaar, het verslagjaar als laatste
help-jaarverslag-out = Nieuw bestand in plaats van de standaarduitvoer
help-rotate-about = Maak een nieuwe sleutel voor nieuwe meldingen; de oude blijft oudere berichten openen
help-recovery-about = Stel de herstelsleutel in (een tweede sleutel in de kluis) en versleutel de eigen teksten opnieuw
help-recovery-recipient = Publieke sleutel (age1…) van de herstelsleutel
help-usage = Gebruik
help-commands = Opdrachten
help-arguments = Argumenten
help-options = Opties
help-usage-hint = Gebruik `meldpunt-keys --help` voor een overzicht van de opdrachten.

# What meldpunt-keys show and extract say about metadata still in an attachment
# (files the reporter's browser could not clean, or whose original the reporter kept).
leftover-found = { $name } bevat nog verborgen gegevens: { $what }.
leftover-not-checked = { $name } kon niet worden gecontroleerd op verborgen gegevens: { $reason }.
leftover-advice = Deze gegevens kunnen de melder herkenbaar maken. Deel het bestand niet verder zonder ze eruit te halen (bijvoorbeeld met mat2), of deel een schermafbeelding of een afdruk naar PDF.
leftover-why-unknown-format = dit soort bestand kan meldpunt-keys niet lezen
leftover-why-heic = een HEIC-foto (iPhone)
leftover-why-damaged = het bestand lijkt beschadigd
leftover-why-encrypted = het bestand is met een wachtwoord beveiligd
leftover-why-too-large = het bestand is te groot of te ingewikkeld om te controleren
leftover-location = de plek waar de foto is gemaakt
leftover-camera = het merk en type van de camera
leftover-camera-serial = het serienummer van de camera
leftover-author = de naam van de maker of bewerker
leftover-organisation = de naam van de organisatie
leftover-software = het programma waarmee het is gemaakt
leftover-dates = de datum en tijd van maken en bewerken
leftover-comments = opmerkingen en beschrijvingen
leftover-title = titel, onderwerp en trefwoorden
leftover-thumbnail = een verkleinde kopie van de afbeelding
leftover-revision-ids = nummers die versies van het bestand aan elkaar koppelen
leftover-custom-properties = extra eigenschappen van het document
leftover-other = andere verborgen gegevens
