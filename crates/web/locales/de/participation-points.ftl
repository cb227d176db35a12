## Point voting
points-heading = Punkte verteilen
points-intro = Sie haben { $n } Punkte und können jedem Eintrag höchstens einen Punkt geben.
points-intro-cumulative = Sie haben { $n } Punkte und dürfen mehrere Punkte auf einen Eintrag setzen.
points-intro-support = Unterstützen Sie den Eintrag, der Ihnen am wichtigsten ist.
points-remaining = { $n ->
    [one] Sie haben noch 1 Punkt.
   *[other] Sie haben noch { $n } Punkte.
}
points-no-items = Noch keine Einträge zur Abstimmung.
points-mine = Ihre Punkte: { $n }
points-give = Einen Punkt geben: { $title }
points-take = Einen Punkt zurücknehmen: { $title }
points-items-heading = Einträge zur Abstimmung
points-items-save = Einträge speichern
points-no-measures = Die Kommune hat noch keine Maßnahmen.
points-results-title = Ergebnis der Punktabstimmung
points-total = { $n } Punkte
points-item = Eintrag
points-voters = Abstimmende
field-measure_ids = Maßnahmen
field-item_id = Eintrag
err-points-items = Bitte wählen Sie nur Maßnahmen dieser Kommune.
err-points-items-locked = Es wurde schon abgestimmt; die Einträge lassen sich nicht mehr ändern.
participation-ok-voted = Ihre Stimme ist gezählt.
