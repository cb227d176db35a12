nav-search = Suche
search-title = Suche
search-title-for = Suche nach „{ $q }“
search-label = Suchbegriff
search-submit = Suchen
search-indexing = Der Suchindex wird gerade aufgebaut; die Ergebnisse sind womöglich noch unvollständig.
search-count = { $n ->
    [0] Keine Treffer
    [one] 1 Treffer
   *[other] { $n } Treffer
}
search-none = Nichts gefunden. Versuchen Sie einen anderen oder allgemeineren Begriff.
search-results = Suchergebnisse
search-facets = Ergebnisse eingrenzen
search-facet-kind = Art
search-facet-city = Kommune
search-facet-field = Handlungsfeld
search-facet-remove = (Filter entfernen)
search-paging = Seiten
search-prev = Vorherige Seite
search-next = Nächste Seite
search-page-of = Seite { $page }
search-err-empty = Bitte geben Sie einen Suchbegriff ein.
search-err-too-long = Der Suchbegriff ist zu lang (höchstens { $max } Zeichen).
search-err-kind = Diese Art von Inhalt gibt es nicht.
search-err-field = Das Handlungsfeld ist keine gültige Nummer.
search-err-page = Die Seitenzahl muss zwischen 1 und 500 liegen.
search-err-stop-words = Der Suchbegriff besteht nur aus Füllwörtern wie „und“ oder „die“. Bitte geben Sie einen aussagekräftigeren Begriff ein.
search-kind-massnahme = Maßnahme
search-kind-idee = Idee
search-kind-aussage = Aussage (Meinungsbild)
search-kind-werkstatt = Werkstatt
search-kind-leitbild = Smart-City-Definition
