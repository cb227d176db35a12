nav-search = Search
search-title = Search
search-title-for = Search for “{ $q }”
search-label = Search term
search-submit = Search
search-indexing = The search index is being built; results may still be incomplete.
search-count = { $n ->
    [0] No results
    [one] 1 result
   *[other] { $n } results
}
search-none = Nothing found. Try another or a more general term.
search-results = Search results
search-facets = Narrow down the results
search-facet-kind = Kind
search-facet-city = Municipality
search-facet-field = Field of action
search-facet-remove = (remove filter)
search-paging = Pages
search-prev = Previous page
search-next = Next page
search-page-of = Page { $page }
search-err-empty = Please enter a search term.
search-err-too-long = The search term is too long (at most { $max } characters).
search-err-kind = There is no such kind of content.
search-err-field = The field of action is not a valid number.
search-err-page = The page number must be between 1 and 500.
search-err-stop-words = The search term consists of filler words such as “and” or “the” only. Please enter a more specific term.
search-kind-massnahme = Measure
search-kind-idee = Idea
search-kind-aussage = Statement (opinion map)
search-kind-werkstatt = Workshop
search-kind-leitbild = Smart City definition
