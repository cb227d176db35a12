# Audit log (ADR 0018)
nav-audit = Protokoll
nav-audit-of = Protokoll { $city }
audit-title = Änderungsprotokoll
audit-title-city = Änderungsprotokoll { $city }
audit-intro = Jede Änderung an Verwaltung, Strategie, Werkstätten, Beteiligung, Umsetzung und Netzwerk: wer, wann, was. Beiträge und Stimmen der Teilnehmenden stehen nicht hier.
audit-filter = Protokoll filtern
audit-all-cities = alle Kommunen
audit-person-hint = Teil des Namens oder der E-Mail-Adresse
audit-text-hint = Teil der Aktion oder des Pfads
audit-count = { $count ->
    [one] 1 Eintrag
   *[other] { $count } Einträge
}
audit-csv = Als CSV herunterladen (gleicher Filter)
audit-caption = Protokolleinträge, neueste zuerst
audit-col-when = Zeit
audit-col-who = Person
audit-col-action = Aktion
audit-col-request = Anfrage
audit-col-outcome = Ergebnis
field-kommune = Kommune
field-person = Person
field-von_datum = Von (Datum)
field-bis_datum = Bis (Datum)
err-audit-period-order = Das Ende des Zeitraums liegt vor seinem Anfang.
err-audit-text-long = Bitte höchstens 200 Zeichen eingeben.
