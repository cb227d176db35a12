//! Turning the notifications that progress reports left for followers into mails: people who want them at
//! once get one mail per pass, people who chose the daily digest get one mail a day (after 07:00 Berlin time)
//! with everything from before that time. Runs in the mail worker's loop, so it is woken with it; claiming
//! is one transaction per pass, so with several nodes each notification is mailed once. Only people with
//! something pending get a mail.

use crate::i18n::Lang;
use crate::state::AppState;
use store::progress::Pending;

/// The hour (Berlin) after which the daily digest goes out.
const DIGEST_HOUR: i8 = 7;

/// The last digest time at or before `now` (Unix seconds).
pub fn digest_cutoff(now: i64) -> i64 {
    let (today, _) = domain::workshop::utc_to_local(now);
    match domain::workshop::local_to_utc(&today, DIGEST_HOUR, 0) {
        Ok(t) if t <= now => t,
        _ => {
            let (yesterday, _) = domain::workshop::utc_to_local(now - 86_400);
            domain::workshop::local_to_utc(&yesterday, DIGEST_HOUR, 0).unwrap_or(now - 86_400)
        }
    }
}

/// One pass at time `now`: queue the mails, return how many were queued. Each notification is marked as
/// mailed in the same transaction that puts its mail into the outbox.
pub async fn run_once(state: &AppState, now: i64) -> anyhow::Result<usize> {
    if !store::progress::has_pending(&state.db).await? {
        return Ok(0);
    }
    let mut queued = 0;
    for (mode, cutoff, daily) in [
        ("sofort", now + 1, false),
        ("taeglich", digest_cutoff(now), true),
    ] {
        queued += store::progress::claim_pending_into_mails(&state.db, mode, cutoff, |items| {
            by_person(items)
                .iter()
                .map(|person| {
                    let (subject, body) = compose(state, person, daily);
                    (person[0].email.clone(), subject, body)
                })
                .collect()
        })
        .await?;
    }
    Ok(queued)
}

/// Group claimed rows (ordered by person) per person.
fn by_person(items: Vec<Pending>) -> Vec<Vec<Pending>> {
    let mut out: Vec<Vec<Pending>> = vec![];
    for p in items {
        match out.last_mut() {
            Some(g) if g[0].user_id == p.user_id => g.push(p),
            _ => out.push(vec![p]),
        }
    }
    out
}

fn compose(state: &AppState, items: &[Pending], daily: bool) -> (String, String) {
    let lang = Lang::De;
    let subject = if !daily && items.len() == 1 {
        lang.t_args(
            "notify-subject",
            &[("measure", items[0].measure_title.clone())],
        )
    } else {
        lang.t_args("notify-digest-subject", &[("n", items.len().to_string())])
    };
    let mut body = lang.t_args(
        "notify-greeting",
        &[("name", items[0].display_name.clone())],
    );
    body.push_str("\n\n");
    for p in items {
        body.push_str(&lang.t_args(
            "notify-item",
            &[
                ("measure", p.measure_title.clone()),
                ("city", p.city.clone()),
                ("date", domain::values::german_date(&p.reported_on)),
                ("percent", p.percent.to_string()),
            ],
        ));
        body.push('\n');
        body.push_str(&p.body);
        body.push('\n');
        body.push_str(&state.config.url(&format!(
            "/kommunen/{}/massnahmen/{}#fortschritt",
            p.slug, p.measure_id
        )));
        body.push_str("\n\n");
    }
    body.push_str(&lang.t_args("notify-footer", &[("url", state.config.url("/konto"))]));
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_cutoff_is_the_last_seven_oclock_in_berlin() {
        // 2026-11-26 06:30 UTC is 07:30 in Berlin (CET): today's 07:00 Berlin = 06:00 UTC.
        let t = domain::workshop::local_to_utc("2026-11-26", 7, 30).unwrap();
        let seven = domain::workshop::local_to_utc("2026-11-26", 7, 0).unwrap();
        assert_eq!(digest_cutoff(t), seven);
        // 06:59 Berlin: yesterday's 07:00.
        let early = domain::workshop::local_to_utc("2026-11-26", 6, 59).unwrap();
        let yesterday = domain::workshop::local_to_utc("2026-11-25", 7, 0).unwrap();
        assert_eq!(digest_cutoff(early), yesterday);
        // Summer time: 07:00 CEST.
        let summer = domain::workshop::local_to_utc("2026-07-01", 12, 0).unwrap();
        assert_eq!(
            digest_cutoff(summer),
            domain::workshop::local_to_utc("2026-07-01", 7, 0).unwrap()
        );
    }
}
