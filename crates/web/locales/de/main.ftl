site-name = Smart City Werkstatt
skip-to-content = Zum Inhalt springen
nav-main = Hauptnavigation
nav-municipalities = Kommunen
nav-admin-municipalities = Kommunen verwalten
nav-admin-users = Benutzer und Rollen
nav-members-of = Mitglieder { $city }
nav-logout = Abmelden
nav-login = Anmelden
nav-legal = Rechtliches
nav-imprint = Impressum
nav-privacy = Datenschutz
nav-accessibility = Barrierefreiheit
nav-api = Offene Schnittstelle (API)
network-default-name = Netzwerk

form-errors-title = Bitte korrigieren Sie die folgenden Angaben
form-error-prefix = Fehler:
select-choose = Bitte wählen
select-none = – keine –
action-save = Speichern
action-cancel = Abbrechen
action-edit-named = { $name } bearbeiten
table-actions = Aktionen

field-email = E-Mail-Adresse
field-password = Passwort
field-password_confirm = Passwort wiederholen
field-current_password = Bisheriges Passwort
field-display_name = Name
field-slug = Kurzname in der Adresse
field-name = Name
field-ags = Amtlicher Gemeindeschlüssel (AGS)
field-population = Einwohnerzahl
field-state = Bundesland
field-size_class = Größenklasse
field-title = Titel
field-body_md = Inhalt
field-grant = Rolle
field-municipality = Kommune
field-role = Rolle
field-size_class_filter = Größenklasse
field-limit = Seitengröße
field-offset = Versatz

hint-slug = Nur Kleinbuchstaben, Ziffern und Bindestriche, z. B. „bad-berleburg“.
hint-ags = Acht Ziffern, z. B. 05958004 für Arnsberg. Die ersten beiden Ziffern nennen das Bundesland.
hint-population = Ganze Zahl, z. B. 73456 oder 73.456.
hint-size-class = Die Größenklasse ergibt sich aus der Einwohnerzahl: Landgemeinde unter 5.000, Kleinstadt unter 20.000, Mittelstadt unter 100.000, Großstadt ab 100.000.
hint-password = Mindestens 10 Zeichen. Ein Satz aus mehreren Wörtern ist sicher und gut zu merken.
hint-display-name = So sehen andere Sie auf der Plattform.
hint-markdown = Markdown: # Überschrift, **fett**, *kursiv*, - Liste, [Linktext](https://…).
hint-municipality-for-city-roles = Nur für Koordination, Redaktion und Teilnehmende nötig.

error-badrequest-title = Ungültige Anfrage
error-badrequest-text = Die gesendeten Daten konnten nicht gelesen werden. Es wurde nichts gespeichert. Bitte laden Sie das Formular neu und versuchen Sie es erneut.
error-notfound-title = Seite nicht gefunden
error-notfound-text = Diese Seite gibt es nicht oder nicht mehr. Vielleicht hat sich die Adresse geändert.
error-forbidden-title = Kein Zugriff
error-forbidden-text = Für diese Seite fehlen Ihnen die nötigen Rechte. Wenden Sie sich bei Bedarf an die Koordination Ihrer Kommune.
error-csrf-title = Formular abgelaufen
error-csrf-text = Das Formular konnte aus Sicherheitsgründen nicht angenommen werden. Es wurde nichts gespeichert. Bitte laden Sie die Seite neu und senden Sie es erneut.
error-unavailable-title = Vorübergehend nicht erreichbar
error-unavailable-text = Die Datenbank antwortet gerade nicht. Bitte versuchen Sie es in einigen Minuten erneut. Es wurde nichts gespeichert.
error-internal-title = Ein Fehler ist aufgetreten
error-internal-text = Ihre Anfrage konnte nicht bearbeitet werden. Der Fehler wurde protokolliert. Bitte versuchen Sie es später erneut.
error-back-home = Zur Startseite

home-title = Smart City Werkstatt
home-page-title = Startseite
home-intro = Die Plattform des { $network } für den Smart-City-Prozess der Kommunen: von der ersten Strategiewerkstatt über die eigene Smart-City-Definition, Handlungsfelder und Maßnahmen bis zum Umsetzungskonzept.
home-municipalities = Teilnehmende Kommunen
home-no-municipalities = Noch keine Kommunen angelegt.
home-population = { $n } Einwohnerinnen und Einwohner

size-landgemeinde = Landgemeinde
size-kleinstadt = Kleinstadt
size-mittelstadt = Mittelstadt
size-grossstadt = Großstadt

demo-content-note = Demo-Inhalt: Diese Kommune und ihre Daten dienen zur Vorführung.
city-manage-members = Mitglieder verwalten
city-section-process = Prozess und Phasen
city-section-definition = Smart-City-Definition
city-section-fields = Handlungsfelder
city-section-measures = Maßnahmen
city-section-participation = Beteiligung
city-section-empty = Hier gibt es noch nichts zu sehen.

legal-updated = Zuletzt geändert: { $date }
legal-edit = Seite bearbeiten

login-title = Anmelden
login-submit = Anmelden
login-forgot = Passwort vergessen?
notice-password-reset = Ihr Passwort wurde geändert. Bitte melden Sie sich mit dem neuen Passwort an.
notice-logged-out = Sie haben sich abgemeldet.

forgot-title = Passwort vergessen
forgot-intro = Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen einen Link, mit dem Sie ein neues Passwort festlegen können. Der Link ist eine Stunde gültig.
forgot-submit = Link anfordern
forgot-sent = Wenn zu dieser Adresse ein Konto besteht, haben wir eine E-Mail mit einem Link gesendet. Bitte sehen Sie in Ihrem Postfach nach.

reset-title = Neues Passwort festlegen
reset-submit = Passwort speichern
reset-invalid-title = Link ungültig oder abgelaufen
reset-invalid-text = Dieser Link wurde bereits verwendet oder ist abgelaufen. Fordern Sie bitte einen neuen an.
reset-request-new = Neuen Link anfordern

invite-title = Einladung annehmen
invite-intro = Sie wurden eingeladen als: { $what }.
invite-email = Ihr Konto wird mit der Adresse { $email } verknüpft.
invite-submit = Einladung annehmen
invite-invalid-title = Einladung ungültig oder abgelaufen
invite-invalid-text = Diese Einladung wurde bereits angenommen oder ist abgelaufen. Bitten Sie die einladende Person um eine neue Einladung.

account-title = Mein Konto
account-network-role = Rolle im Netzwerk
account-memberships = Mitgliedschaften
account-no-memberships = Sie sind noch in keiner Kommune Mitglied.
account-change-password = Passwort ändern
notice-welcome = Willkommen! Ihr Konto ist eingerichtet.

role-admin = Netzwerk-Admin
role-steering = Steuerungsgruppe
role-coordinator = Kommunal-Koordination
role-editor = Redaktion
role-participant = Teilnehmende
grant-city = { $role } in { $city }

admin-municipalities-title = Kommunen verwalten
admin-municipalities-caption = Alle Kommunen des Netzwerks
admin-municipality-new = Neue Kommune anlegen
admin-municipality-edit = Kommune bearbeiten
notice-municipality-created = Die Kommune wurde angelegt.
notice-saved = Die Änderungen wurden gespeichert.
admin-page-edit = Seite bearbeiten
admin-pages = Rechtliche Seiten
admin-users-title = Benutzer und Rollen
admin-invite = Person einladen
admin-invite-submit = Einladung senden
admin-users-list = Alle Konten
admin-user-no-password = Hat noch kein Passwort festgelegt.
admin-withdraw-role = Rolle „{ $role }“ entziehen
admin-withdraw-membership = Mitgliedschaft in { $city } beenden
admin-assign-role-for = Rolle für { $name } zuweisen
notice-invited = Die Einladung wurde versendet.

members-title = Mitglieder: { $city }
members-caption = Mitglieder und ihre Rollen
members-role-of = Rolle von { $name }
members-remove = { $name } entfernen
members-pending = Offene Einladungen
members-valid-until = gültig bis { $date }
members-invite = Mitglied einladen

mail-reset-subject = Smart City Werkstatt: Neues Passwort festlegen
mail-reset-body =
    Guten Tag { $name },

    für Ihr Konto bei der Smart City Werkstatt wurde ein neues Passwort angefordert.
    Über diesen Link legen Sie es fest (eine Stunde gültig, nur einmal verwendbar):

    { $link }

    Wenn Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren; Ihr Passwort bleibt unverändert.
mail-invite-subject = Einladung zur Smart City Werkstatt
mail-invite-body =
    Guten Tag,

    { $inviter } lädt Sie zur Smart City Werkstatt ein: { $what }.
    Über diesen Link nehmen Sie die Einladung an und legen Ihr Passwort fest (14 Tage gültig):

    { $link }

    Wenn Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.

err-required = Bitte ausfüllen.
err-too-long = Der Text ist zu lang.
err-control-chars = Enthält unzulässige Steuerzeichen.
err-slug-format = Nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche (2 bis 60 Zeichen), nicht am Anfang oder Ende.
err-slug-taken = Dieser Kurzname ist bereits vergeben.
err-ags-format = Der Gemeindeschlüssel muss aus genau 8 Ziffern bestehen.
err-ags-state-unknown = Die ersten beiden Ziffern des Gemeindeschlüssels nennen kein Bundesland (01 bis 16).
err-ags-state-mismatch = Der Gemeindeschlüssel gehört nicht zum gewählten Bundesland.
err-ags-taken = Eine Kommune mit diesem Gemeindeschlüssel gibt es bereits.
err-state-unknown = Bitte ein Bundesland aus der Liste wählen.
err-population-format = Bitte eine ganze Zahl eingeben.
err-population-range = Die Einwohnerzahl muss zwischen 1 und 20.000.000 liegen.
err-email-format = Bitte eine gültige E-Mail-Adresse eingeben, z. B. name@stadt.de.
err-password-short = Das Passwort muss mindestens 10 Zeichen lang sein.
err-password-mismatch = Die beiden Passwörter stimmen nicht überein.
err-password-wrong = Das bisherige Passwort ist nicht richtig.
err-role-unknown = Bitte eine Rolle aus der Liste wählen.
err-municipality-required = Für diese Rolle bitte eine Kommune wählen.
err-municipality-unknown = Diese Kommune gibt es nicht.
err-login-failed = E-Mail-Adresse oder Passwort ist nicht richtig.
err-login-throttled = Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in { $minutes } Minuten erneut.
err-last-admin = Das Netzwerk braucht mindestens eine Person mit der Rolle Netzwerk-Admin.
err-last-coordinator = Die Kommune braucht mindestens eine Person in der Kommunal-Koordination.
err-range = Der Wert liegt außerhalb des erlaubten Bereichs.
err-integer = Bitte eine ganze Zahl angeben.
err-size-class-unknown = Unbekannte Größenklasse.

# --- Strategy core -------------------------------------------------------------------------------
yes = ja
no = nein
quick-win = Quick Win
demo-badge = Demo
action-remove-named = { $name } entfernen
action-save-named = { $name } speichern
council-link = Ratsinformationssystem
export-pdf = Projektblatt als PDF
stakeholder = Akteur
nav-network = Netzwerk-Überblick
nav-taxonomies = Taxonomien
nav-templates = Vorlagen

visibility-intern = Kommune intern
visibility-netzwerk = Netzwerk
visibility-oeffentlich = öffentlich
priority-hoch = hoch
priority-mittel = mittel
priority-niedrig = niedrig
horizon-kurz = kurzfristig
horizon-mittel = mittelfristig
horizon-lang = langfristig
phase-offen = offen
phase-aktiv = aktiv
phase-abgeschlossen = abgeschlossen
def-status-entwurf = Entwurf
def-status-abgestimmt = abgestimmt
def-status-beschlossen = beschlossen
kind-organisation = Organisation
kind-person = Person
sort-title = Sortierung
sort-titel = Titel
sort-status = Status
sort-prioritaet = Priorität
sort-beginn = Beginn
sort-geaendert = zuletzt geändert
taxonomy-field_of_action = Handlungsfelder
taxonomy-sdg = Nachhaltigkeitsziele (SDGs)
taxonomy-charta = Smart City Charta – Leitlinien
taxonomy-stakeholder_group = Akteursgruppen

city-nav = Bereiche von { $city }
city-current-phase = Aktuelle Phase: { $name }
city-phase-of = Phase { $n } von
city-process-not-started = Der Prozess wurde noch nicht begonnen.
city-to-process = Zum Prozess und Zeitplan
city-all-measures = Alle { $n } Maßnahmen ansehen

process-title = Prozess und Zeitplan
process-table-caption = Phasen des Smart-City-Prozesses mit geplanten und tatsächlichen Zeiträumen
process-phase = Phase
process-planned = geplant
process-actual = tatsächlich
process-edit-phase = Phase „{ $name }“ bearbeiten
process-milestones = Meilensteine
process-template-add = Phase zur Vorlage hinzufügen
process-template = Prozessvorlage des Netzwerks
timeline-title = Zeitplan von { $city } über zwei Jahre
timeline-desc = Balkendiagramm: je Phase ein Balken für den geplanten und, sofern begonnen, ein schmaler Balken für den tatsächlichen Zeitraum. Die Tabelle unter der Grafik enthält dieselben Angaben.
timeline-legend = Breite Balken: geplant; schmale dunkle Balken: tatsächlich; senkrechte rote Linie: heute. Die Tabelle enthält alle Angaben als Text.
milestone-done-on = erledigt am { $date }
milestone-mark-done = „{ $name }“ als erledigt markieren
milestone-of-measure = Maßnahme

network-title = Netzwerk-Überblick
network-caption = Stand aller Kommunen im Smart-City-Prozess
network-current-phase = Aktuelle Phase
network-phases-done = Phasen abgeschlossen
network-no-process = noch nicht begonnen

definition-title = Smart-City-Definition
definition-edit = Definition bearbeiten
definition-save = Neue Fassung speichern
definition-empty = Es gibt noch keine Fassung der Smart-City-Definition.
definition-decided = Beschlossen durch den Rat am
definition-status-change = Status ändern
definition-versions = Fassungen
definition-compare = Vergleichen
definition-compare-from = Fassung
definition-compare-to = mit Fassung
definition-diff-title = Vergleich: Fassung { $a }
definition-diff-legend = Eingefügte Wörter sind unterstrichen, entfernte durchgestrichen.
definition-comments = Kommentare
definition-no-comments = Noch keine Kommentare.
definition-comment-submit = Kommentar senden
hint-decision = Nur für „beschlossen“: Datum und Aktenzeichen des Ratsbeschlusses, optional der Link ins Ratsinformationssystem.
hint-version-note = Kurz, was sich geändert hat (optional).

conflict-title = Zwischenzeitlich geändert
conflict-measure-text = Während Sie bearbeitet haben, hat jemand anderes diese Maßnahme gespeichert. Ihre Eingaben stehen unverändert im Formular. Prüfen Sie die Unterschiede und speichern Sie erneut, um Ihre Fassung zu übernehmen.
conflict-definition-text = Während Sie bearbeitet haben, wurde Fassung { $n } gespeichert. Ihr Text ist nicht verloren: Er steht unten im Formular. Übernehmen Sie, was Sie behalten möchten, und speichern Sie erneut.
conflict-caption = Unterschiede zwischen gespeicherter Fassung und Ihrer Eingabe
conflict-theirs = Gespeicherte Fassung
conflict-yours = Ihre Eingabe
conflict-yours-below = Ihr Text:

fields-title = Handlungsfelder und Ziele
fields-none = Es wurden noch keine Handlungsfelder ausgewählt.
fields-choose = Handlungsfelder auswählen
fields-choose-hint = Wählen Sie die Handlungsfelder Ihrer Kommune mit Priorität und Begründung.
fields-select = „{ $name }“ auswählen
fields-update = „{ $name }“ aktualisieren
fields-deselect = „{ $name }“ abwählen
goals-add = Ziel hinzufügen
goals-of = Ziele im Handlungsfeld { $field }

measures-title = Maßnahmen
measures-caption = Maßnahmen von { $city }
measures-count = { $n } Maßnahmen
measures-none = Keine Maßnahmen gefunden.
measure-new = Neue Maßnahme
measure-edit = Projektblatt bearbeiten
measure-from-source = Aus Vorlage oder anderer Kommune übernehmen
measure-copy = „{ $name }“ übernehmen
notice-measure-created = Die Maßnahme wurde angelegt.
notice-measure-copied = Die Maßnahme wurde übernommen. Die Herkunft ist verlinkt.
filter-title = Maßnahmen filtern
filter-all = alle
filter-apply = Anwenden
status-change = Status ändern
status-change-to = Neuer Status

sheet-version = Version { $n }
sheet-origin = Übernommen von:
sheet-origin-template = Erstellt aus einer Mustervorlage des Netzwerks.
sheet-section-basics = Grunddaten
sheet-section-classification = Einordnung
sheet-section-need = Ausgangslage und Wirkung
sheet-section-responsibility = Verantwortung
sheet-section-time-money = Zeit, Kosten und Förderung
sheet-section-decision = Risiken und Beschluss
sheet-section-more = Weitere Angaben
sheet-no-goals = Legen Sie zuerst unter „Handlungsfelder“ Ziele an.
sheet-partners = Partner
sheet-add-partner = Partner hinzufügen
sheet-raci = Zuständigkeiten (RACI)
sheet-raci-caption = Verantwortungsmatrix: R verantwortlich, A rechenschaftspflichtig, C beratend, I informiert
sheet-set-raci = Zuständigkeit setzen
sheet-milestones = Meilensteine
sheet-add-milestone = Meilenstein hinzufügen
sheet-kpis = Kennzahlen (KPIs)
sheet-add-kpi = Kennzahl hinzufügen
sheet-dependencies = Abhängigkeiten
sheet-depends-on = Hängt ab von
sheet-needed-by = Voraussetzung für
sheet-add-dependency = Abhängigkeit hinzufügen
raci-r = verantwortlich (R)
raci-a = rechenschaftspflichtig (A)
raci-c = beratend (C)
raci-i = informiert (I)
kpi-baseline = Ausgangswert
kpi-target = Zielwert
kpi-source = Quelle
kpi-measurements-of = Messwerte: { $name }
kpi-add-measurement = Messwert für „{ $name }“ speichern
history-title = Änderungsverlauf
history-field = Feld
history-before = vorher
history-after = nachher
history-changes-of = Änderungen in Version { $n }

stakeholders-title = Akteure
stakeholders-none = Noch keine Akteure erfasst.
stakeholders-caption = Organisationen und Personen
stakeholders-add = Akteur hinzufügen

templates-from-measure = Als Mustervorlage veröffentlichen
templates-title = Mustervorlagen
templates-none = Es gibt noch keine Mustervorlagen.
templates-admin-intro = Vorlagen entstehen aus Maßnahmen: über „Als Mustervorlage veröffentlichen“ auf der Seite einer Maßnahme. Veröffentlichte Vorlagen können alle Kommunen übernehmen.
templates-state = Stand
templates-published = veröffentlicht
templates-hidden = zurückgezogen
templates-publish = „{ $name }“ veröffentlichen
templates-withdraw = „{ $name }“ zurückziehen
template-use = „{ $name }“ verwenden
network-measures-title = Maßnahmen anderer Kommunen
network-measures-none = Andere Kommunen haben noch keine Maßnahmen für das Netzwerk freigegeben.
network-measures-caption = Für das Netzwerk freigegebene Maßnahmen

taxonomies-title = Taxonomien und Prozessvorlage
taxonomy-add = Eintrag hinzufügen
hint-color = Farbe als #rrggbb, z. B. #1f5fa8.
hint-visibility = Intern: nur Mitglieder der Kommune. Netzwerk: alle, die im Netzwerk arbeiten. Öffentlich: alle.
hint-one-per-line = Ein Eintrag pro Zeile.
hint-impact-output = Output: Was wird konkret geschaffen?
hint-impact-outcome = Outcome: Was ändert sich für die Zielgruppen?
hint-impact-impact = Impact: Welcher langfristige Beitrag zur Stadtentwicklung?
hint-lead-unit = Organisationseinheit, z. B. „Fachbereich Stadtentwicklung“.
hint-euros = Ganze Euro, z. B. 250.000.
hint-euros-year = Ganze Euro pro Jahr.
hint-fte = Vollzeitäquivalente, z. B. 1,5.
hint-percent = Prozent, 0 bis 100.
hint-link = Vollständige Adresse mit https://
hint-geojson = GeoJSON, Koordinaten als Länge, Breite – z. B. { "{" }"type": "Point", "coordinates": [8.06, 51.40]{ "}" }

field-visibility = Sichtbarkeit
field-priority = Priorität
field-status = Status
field-short_description = Kurzbeschreibung
field-primary_field_id = Handlungsfeld
field-further_field_ids = Weitere Handlungsfelder
field-goal_ids = Ziele
field-tag_ids = SDGs und Charta-Leitlinien
field-initial_situation = Ausgangslage und Bedarf
field-target_groups = Zielgruppen
field-impact_output = Wirkung: Output
field-impact_outcome = Wirkung: Outcome
field-impact_impact = Wirkung: Impact
field-lead_unit = Federführung (Organisationseinheit)
field-lead_stakeholder_id = Federführung (Person/Akteur)
field-start_date = Beginn
field-end_date = Ende
field-time_horizon = Zeithorizont
field-quick_win = Quick Win (schnell sichtbarer Erfolg)
field-investment_costs = Investitionskosten
field-operating_costs = Betriebskosten pro Jahr
field-staff_need_fte = Personalbedarf (VZÄ)
field-funding_own_share_pct = Eigenanteil (%)
field-funding_programme = Förderprogramm
field-funding_rate_pct = Förderquote (%)
field-risks = Risiken
field-council_decision_date = Ratsbeschluss am
field-council_decision_link = Link zum Ratsbeschluss
field-participation_form = Form der Beteiligung
field-location_geojson = Ort (GeoJSON)
field-data_protection = Datenschutz
field-licence = Lizenz
field-repository = Quellcode-Repository
field-transferability = Übertragbarkeit auf andere Kommunen
field-contact = Kontakt
field-partners = Partner
field-raci = Zuständigkeiten
field-dependencies = Abhängigkeiten
field-kpis = Kennzahlen
field-measurements = Messwerte
field-milestones = Meilensteine
field-partner = Partner
field-partner_role = Rolle des Partners
field-depends_on = Abhängigkeit
field-kpi_name = Kennzahl
field-kpi_unit = Einheit
field-kpi_baseline = Ausgangswert
field-kpi_target = Zielwert
field-kpi_method = Methode
field-kpi_source = Datenquelle
field-kpi_interval = Erhebungsintervall
field-measured_on = Datum
field-value = Wert
field-milestone_title = Meilenstein
field-milestone_due = fällig am
field-comment = Kommentar
field-note = Änderungsnotiz
field-decision_date = Datum des Ratsbeschlusses
field-decision_reference = Aktenzeichen / Vorlagennummer
field-decision_link = Link ins Ratsinformationssystem
field-planned_start = geplanter Beginn
field-planned_end = geplantes Ende
field-actual_start = tatsächlicher Beginn
field-actual_end = tatsächliches Ende
field-field_id = Handlungsfeld
field-goal_text = Ziel
field-indicator = Indikator
field-unit = Einheit
field-baseline = Ausgangswert
field-target_value = Zielwert
field-target_year = Zieljahr
field-rationale = Begründung
field-kind = Art
field-group_id = Gruppe
field-organisation_id = gehört zu Organisation
field-taxonomy = Taxonomie
field-term_key = Schlüssel
field-description = Beschreibung
field-color = Farbe
field-active = aktiv
field-planned_months = Dauer in Monaten
field-phase = Phase

err-choice-unknown = Bitte einen Eintrag aus der Liste wählen.
err-color-format = Bitte eine Farbe im Format #rrggbb angeben.
err-date-format = Bitte ein Datum wie 01.03.2026 angeben.
err-date-invalid = Dieses Datum gibt es nicht.
err-end-before-start = Das Ende liegt vor dem Beginn.
err-number-format = Bitte eine Zahl angeben, z. B. 1.250 oder 1,5.
err-number-negative = Der Wert darf nicht negativ sein.
err-number-range = Der Wert ist zu groß.
err-percent-range = Bitte einen Prozentwert zwischen 0 und 100 angeben.
err-year-format = Bitte ein Jahr zwischen 2000 und 2100 angeben.
err-too-many = Das sind zu viele Einträge.
err-link-format = Bitte eine vollständige Adresse mit https:// angeben.
err-geojson = Bitte gültiges GeoJSON angeben (z. B. ein Point mit Koordinaten).
err-visibility-unknown = Bitte eine Sichtbarkeit aus der Liste wählen.
err-primary-field-repeated = Das Haupt-Handlungsfeld nicht zusätzlich als weiteres Handlungsfeld wählen.
err-measure-conflict = Jemand anderes hat die Maßnahme inzwischen geändert. Bitte prüfen Sie die Unterschiede und speichern Sie erneut.
err-definition-conflict = Jemand anderes hat inzwischen eine neue Fassung gespeichert. Ihr Text ist erhalten; bitte prüfen und erneut speichern.
err-status-changed = Der Status wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu.
err-transition-unknown = Dieser Statuswechsel ist im Ablauf nicht vorgesehen.
err-transition-role = Diesen Statuswechsel darf nur die Kommunal-Koordination vornehmen.
err-dependency-cycle = Diese Abhängigkeit würde einen Kreis erzeugen: Die gewählte Maßnahme hängt bereits (direkt oder über andere) von dieser ab.
err-field-not-selected = Bitte zuerst das Handlungsfeld auswählen.
err-key-taken = Dieser Schlüssel ist bereits vergeben.
err-months-range = Bitte eine Dauer zwischen 1 und 36 Monaten angeben.
err-phase-status-unknown = Bitte einen Status aus der Liste wählen.

# --- Workshops ------------------------------------------------------------------------------------
workshops-title = Werkstätten
workshops-upcoming = Kommende Werkstätten
workshops-past = Vergangene Werkstätten
workshops-none = Es sind keine Werkstätten geplant.
workshops-feed = Kalender abonnieren (iCalendar)
workshop-new = Werkstatt planen
workshop-online = online
workshop-seats = { $n } Plätze frei
workshop-when = Wann
workshop-ics = Termin in den Kalender übernehmen (.ics)
workshop-capacity-state = { $n } angemeldet
workshop-waiting = { $n } auf der Warteliste
workshop-unlimited = keine Begrenzung
workshop-registration = Anmeldung
workshop-register = Verbindlich anmelden
workshop-cancel = Abmelden
workshop-show-name = Mein Name darf im Protokoll genannt werden.
workshop-login-to-register = Zum Anmelden bitte einloggen
workshop-agenda = Ablauf
workshop-minutes = { $n } Minuten
workshop-add-agenda = Programmpunkt hinzufügen
workshop-attendance = Anmeldungen und Anwesenheit
workshop-attendance-caption = Angemeldete Personen, Warteliste und Anwesenheit
workshop-no-registrations = Noch keine Anmeldungen.
workshop-attended = anwesend
workshop-mark-present = { $name } als anwesend markieren
workshop-mark-absent = { $name } als abwesend markieren
registration-angemeldet = Sie sind angemeldet.
registration-warteliste = Sie stehen auf der Warteliste. Wird ein Platz frei, rücken Sie automatisch nach.
registration-abgemeldet = abgemeldet
hint-berlin-time = Ortszeit (Berlin).
hint-place = Adresse und Raum; leer lassen, wenn die Werkstatt nur online stattfindet.
hint-capacity = Höchstzahl der Teilnehmenden; leer für unbegrenzt.
field-format_key = Format
field-date = Datum
field-start_time = Beginn
field-end_time = Ende
field-place = Ort
field-online_link = Online-Link
field-capacity = Plätze
field-purpose = Ziel und Anlass
field-agenda_title = Programmpunkt
field-agenda_minutes = Dauer in Minuten
city-section-workshops = Werkstätten
err-time-format = Bitte eine Uhrzeit wie 17:30 angeben.
err-place-or-link = Bitte einen Ort oder einen Online-Link angeben.
err-capacity-range = Bitte eine Zahl zwischen 1 und 10.000 angeben oder leer lassen.
err-minutes-range = Bitte eine Dauer zwischen 1 und 600 Minuten angeben.
workshop-invite = Einladen
workshop-invite-members = Mitglieder der Kommune
workshop-invite-submit = Einladungen mit Kalendereintrag senden
workshop-invited = { $n } Einladungen werden versendet.
hint-emails = Weitere E-Mail-Adressen (z. B. von Akteuren), eine pro Zeile.
field-emails = Weitere E-Mail-Adressen
err-email-list = Eine der Adressen ist ungültig; bitte prüfen (eine Adresse pro Zeile).
err-no-recipients = Bitte mindestens eine Person auswählen oder eine Adresse angeben.
mail-workshop-subject = Einladung: { $title }
mail-workshop-body =
    Guten Tag,

    die Smart-City-Koordination { $city } lädt Sie ein zur Werkstatt „{ $title }“
    am { $when }, Ort: { $place }.

    Den Termin finden Sie im Anhang für Ihren Kalender. Anmeldung und Ablauf:
    { $link }
