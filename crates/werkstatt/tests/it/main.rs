//! The one integration test binary. Every case runs twice: on a fresh SQLite file and on a fresh
//! PostgreSQL schema. Cases that need PostgreSQL, Chromium or an SMTP server are reported as *ignored*
//! with the reason when those are absent, unless `WERKSTATT_REQUIRE_ALL=1` (set by `.ci/run`) makes
//! their absence a failure.

mod access;
mod accounts;
mod api_schema;
mod audit;
mod authz;
mod board;
mod board_browser;
mod browser;
mod child;
mod concept;
mod exchange;
mod faults;
mod harness;
mod implementation;
mod injection;
mod leaks;
mod municipalities;
mod network;
mod opendata;
mod ops;
mod pagecache;
mod participation;
mod participation_benefit;
mod participation_ideas;
mod participation_opinion;
mod participation_survey;
mod participation_votes;
mod platform;
mod scaleout;
mod search;
mod secrets_at_rest;
mod strategy;
mod workshops;

use harness::{Backend, Case, Env};

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let env = Env::detect();
    env.report();
    let cases: Vec<Case> = [
        platform::cases(),
        municipalities::cases(),
        accounts::cases(),
        access::cases(),
        strategy::cases(),
        workshops::cases(),
        board::cases(),
        board_browser::cases(),
        participation::cases(),
        participation_survey::cases(),
        participation_ideas::cases(),
        participation_benefit::cases(),
        participation_opinion::cases(),
        participation_votes::cases(),
        implementation::cases(),
        browser::cases(),
        concept::cases(),
        search::cases(),
        leaks::cases(),
        exchange::cases(),
        opendata::cases(),
        network::cases(),
        pagecache::cases(),
        injection::cases(),
        secrets_at_rest::cases(),
        api_schema::cases(),
        scaleout::cases(),
        faults::cases(),
        audit::cases(),
        authz::cases(),
        ops::cases(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut trials = Vec::new();
    for case in cases {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            trials.push(env.trial(&case, backend));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
