# The server's pages in Dutch (the first language). Every id here is also in
# ../en/meldpunt-server.ftl; server/src/catalogue.rs tests both and the code's use.

## The no-JavaScript path (/zonder-js): shared

zj-links-label = Verder
zj-link-replies = Reacties lezen met uw token
zj-link-vervolg = Een aanvulling sturen met uw token
zj-link-start = Terug naar het begin: een nieuwe melding maken
zj-error-title = Dat ging niet goed
zj-error-page-title = Fout
zj-error-back = Terug naar het formulier
zj-summary-title = Er is een probleem
zj-err-unreadable = Het formulier kon niet worden gelezen.
zj-err-busy = Het meldpunt is nu erg druk; er is niets opgeslagen. Probeer het over een minuut opnieuw.
zj-err-too-large = Het formulier is te groot; er is niets opgeslagen.
zj-err-timeout = Het formulier kwam te langzaam binnen; er is niets opgeslagen. Probeer het opnieuw.
zj-err-media-type = Verstuur het formulier vanaf de pagina /zonder-js.
zj-err-internal = Er ging iets mis op de server; er is niets opgeslagen. Probeer het later opnieuw.
zj-err-token = Dit is geen geldig token. Controleer of u het goed hebt overgenomen (32 tekens, zoals XXXX-XXXX-…).
zj-err-no-case = Bij dit token hoort geen melding. Controleer of u het goed hebt overgenomen.
zj-err-text-long = De tekst is te lang: maximaal 256 KiB.
zj-label-token = Uw token
zj-hint-token = 32 tekens, zoals XXXX-XXXX-…
zj-hint-optional = Niet verplicht.

## The melding form

zj-form-page-title = Melding zonder JavaScript
zj-form-title = Melding maken zonder JavaScript
zj-form-honest = Let op: zonder JavaScript kan uw browser de melding niet zelf versleutelen. De tekst gaat dan (binnen de beveiligde verbinding) naar de server, die hem in het geheugen versleutelt voor het meldpunt, alleen de versleutelde melding bewaart en de tekst direct daarna wist. Met JavaScript aan gebeurt het versleutelen in uw eigen browser en ziet de server de tekst nooit.
zj-form-no-attachments = Bijlagen kunt u alleen met JavaScript meesturen. Noem geen namen die u niet hoeft te noemen.
zj-label-org = Organisatie
zj-choose-org = Kies een organisatie
zj-label-soort = Soort melding
zj-choose-soort = Kies een soort melding
zj-label-over-wie = Over wie gaat het?
zj-hint-bestuurder = Kiest u ‘Een bestuurder’ (zoals de burgemeester, een wethouder of een raadslid)? Deze organisaties hebben daarvoor aparte ontvangers aangewezen: { $names }. Kiest u een van hen, dan versleutelt de server uw melding alleen voor die aparte ontvangers: de gewone ontvangers van het meldpunt lezen hem niet, en zij behandelen hem volgens een eigen protocol. Uw latere aanvullingen gaan vanzelf ook naar hen, en van hen komen de reacties. Bij de andere organisaties lezen de gewone ontvangers van het meldpunt hem en behandelen zij hem zorgvuldig.
zj-hint-bestuurder-none = Kiest u ‘Een bestuurder’ (zoals de burgemeester, een wethouder of een raadslid)? Deze organisaties hebben geen aparte ontvangers voor meldingen over bestuurders: de ontvangers van het meldpunt lezen uw melding en behandelen hem zorgvuldig.
zj-rather-not-say = (zeg ik liever niet)
zj-label-melder = Wie meldt?
zj-label-text = Wat is er gebeurd?
zj-hint-text = Zo precies mogelijk: wat, wie (functie), hoe vaak.
zj-label-when = Wanneer en waar?
zj-send-melding = Melding versturen (de server versleutelt hem)
zj-err-org = Kies een organisatie uit de lijst.
zj-err-soort = Kies een soort melding uit de lijst.
zj-err-over-wie = Kies ‘over wie’ uit de lijst.
zj-err-melder = Kies ‘wie meldt’ uit de lijst.
zj-err-text-empty = Schrijf wat er is gebeurd.
zj-err-when-long = ‘Wanneer en waar’ is te lang: maximaal 4 KiB.
zj-err-damaged = Dit formulier is beschadigd; er is niets opgeslagen. Open het formulier opnieuw.

## After the melding

zj-received-page-title = Melding ontvangen
zj-received-title = Uw melding is ontvangen
zj-received-ok = De melding is versleuteld opgeslagen. Alleen het meldpunt kan hem openen.
zj-received-bestuurder = Uw melding is alleen versleuteld voor de aparte ontvangers van meldingen over een bestuurder bij { $name }. Zij lezen hem en behandelen hem volgens hun eigen protocol; de gewone ontvangers van het meldpunt lezen hem niet.
zj-token-title = Uw token (wordt maar één keer getoond)
zj-token-text = Schrijf dit token op of bewaar het veilig. Alleen met dit token kunt u later reacties van het meldpunt lezen en een aanvulling sturen. Zonder JavaScript heeft de server dit token gemaakt en uw melding ermee versleuteld; daarna heeft hij het gewist. Hij bewaart alleen een afgeleide zoeksleutel waaruit het token niet terug te rekenen is, dus niemand kan het u opnieuw geven: kwijt is kwijt.
zj-receipt-title = Ontvangstbewijs
zj-receipt-text = Ondertekend door de server: hiermee kunt u later aantonen dat en wanneer u meldde. Download het en bewaar het, los van uw token.
zj-receipt-download = Ontvangstbewijs downloaden (tekstbestand)
zj-receipt-show = De ondertekende gegevens bekijken
zj-next-title = Hoe verder
zj-next-text = Het meldpunt bevestigt de ontvangst binnen 7 dagen en geeft binnen 3 maanden terugkoppeling. Kijk met uw token of er een reactie is; daar kunt u ook een aanvulling sturen.

## Replies

zj-replies-page-title = Reacties
zj-replies-form-title = Reacties bekijken zonder JavaScript
zj-replies-honest = Zonder JavaScript stuurt uw browser het token naar de server. De server leidt er in het geheugen de sleutels uit af, controleert de handtekening van elke reactie, opent haar en wist het token en de tekst direct daarna. Met JavaScript aan verlaat het token uw browser nooit.
zj-show-replies = Reacties tonen
zj-replies-title = Reacties op uw melding
zj-reply-of = Reactie van { $day }
zj-reply-unverified = Deze reactie kon niet worden gecontroleerd en wordt niet getoond: ze is niet door het meldpunt ondertekend of is beschadigd.
zj-no-reply-yet = Er is nog geen reactie. Het meldpunt bevestigt de ontvangst binnen 7 dagen en geeft binnen 3 maanden terugkoppeling.

## The follow-up (vervolg)

zj-vervolg-page-title = Aanvulling sturen zonder JavaScript
zj-vervolg-honest = Zonder JavaScript gaan uw token en de tekst (binnen de beveiligde verbinding) naar de server. Die versleutelt de aanvulling in het geheugen voor dezelfde ontvangers als uw melding, bewaart alleen de versleutelde aanvulling en wist het token en de tekst direct daarna.
zj-vervolg-title = Een aanvulling sturen
zj-vervolg-text = Beantwoord een vraag van het meldpunt of vul uw melding aan. Ze gaat naar dezelfde ontvangers als uw melding.
zj-label-vervolg = Uw aanvulling
zj-hint-vervolg = Noem geen namen die u niet hoeft te noemen.
zj-send-vervolg = Aanvulling versturen (de server versleutelt haar)
zj-err-vervolg-empty = Schrijf uw aanvulling.
zj-vervolg-received-title = Uw aanvulling is ontvangen
zj-vervolg-received-ok = De aanvulling is versleuteld opgeslagen bij uw melding. Alleen het meldpunt kan haar openen.
zj-back-to-replies = Terug naar de reacties

## The ontvangstbewijs as a file (server/src/receipt_file.rs)

receipt-file-title = Ontvangstbewijs van { $name }
receipt-file-proves = Dit bewijs is ondertekend door de server van het meldpunt. Het toont aan dat het meldpunt op de genoemde dag een versleuteld bericht ontving voor de zaak die bij uw token hoort. Wat erin stond, staat hier niet in.
receipt-file-organisation = Organisatie
receipt-file-received = Ontvangen op
receipt-file-item = Bericht
receipt-file-case = Zaak (zoeksleutel-hash)
receipt-file-verify = Zo controleert u het: het deel tussen de twee streepjesregels is het ondertekende bewijs. Iedereen kan de handtekening controleren met de sleutel van de server (receipt_key op /api/v1/config van het meldpunt), zoals docs/PROTOCOL.md bij ‘Ontvangstbewijs’ beschrijft. Dat de zaak de uwe is, toont u met uw token: de zoeksleutel-hash wordt daaruit afgeleid. Verander niets aan het bestand.

## The staff page (/staff)

staff-title = Meldpunt: medewerkers
staff-intro = De online stap van de wekelijkse ronde. Het staff-token blijft alleen in deze pagina; de server bewaart het niet.
staff-token = Staff-token
staff-export-title = 1. Nieuwe meldingen ophalen
staff-export-text = Download de inbox-bundel en neem hem met een USB-stick mee naar de laptop (meldpunt-keys import).
staff-export-button = Inbox downloaden
staff-replies-title = 2. Reacties uploaden
staff-replies-text = De bundel die meldpunt-keys export-replies maakte. Elke handtekening wordt gecontroleerd; een bundel met één fout wordt helemaal geweigerd.
staff-replies-label = Reactiebundel (.tar)
staff-replies-button = Reacties uploaden
staff-confirm-title = 3. Importbevestiging uploaden
staff-confirm-text = Na de import op de laptop: de ondertekende bevestiging. De server verwijdert dan de versleutelde meldingen die de laptop heeft.
staff-confirm-label = Importbevestiging (.json)
staff-confirm-button = Bevestiging uploaden
staff-result-title = Resultaat
staff-result-none = Nog niets gedaan.

## What /assets/staff.js shows (rendered into the staff page as data-texts)

staff-js-no-token = Plak eerst het staff-token.
staff-js-no-file = Kies eerst een bestand.
staff-js-busy = Bezig…
staff-js-exported = { $name } gedownload ({ $n } bytes). Neem hem mee naar de laptop.
staff-js-imported = Reacties geïmporteerd: { $new } nieuw, { $known } waren er al.
staff-js-confirmed = Bevestiging aanvaard: { $deleted } items van de server verwijderd, { $unknown } niet (meer) aanwezig.
staff-js-set-aside = Daarvan waren er { $n } op de laptop apart gezet (niet voor dit meldpunt, beschadigd of geen geldige melding); `meldpunt-keys set-aside` toont ze.
staff-js-failed = Geweigerd ({ $status }): { $message }
staff-js-network = De server is niet bereikbaar.
