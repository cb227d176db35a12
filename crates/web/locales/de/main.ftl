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
