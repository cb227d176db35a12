## Point voting
points-heading = Distribute points
points-intro = You have { $n } points and can give each item at most one point.
points-intro-cumulative = You have { $n } points and may put several points on one item.
points-intro-support = Support the item that matters most to you.
points-remaining = { $n ->
    [one] You have 1 point left.
   *[other] You have { $n } points left.
}
points-no-items = No items to vote on yet.
points-mine = Your points: { $n }
points-give = Give a point: { $title }
points-take = Take back a point: { $title }
points-items-heading = Items to vote on
points-items-save = Save items
points-no-measures = The city has no measures yet.
points-results-title = Result of the point voting
points-total = { $n } points
points-item = Item
points-voters = Voters
field-measure_ids = Measures
field-item_id = Item
err-points-items = Please choose only measures of this city.
err-points-items-locked = Votes have been cast; the items can no longer be changed.
participation-ok-voted = Your vote counts.
