//! The live workshop board (Pinnwand): join by code, cards, clusters, dot voting, live updates over
//! Server-Sent Events, the projector view, conversion of results into the strategy, and the protocol.
//!
//! Every board URL starts with `/w/{code}`. Who may do what is decided once per request in [`Access`]:
//! moderators are the people who may edit the workshop's city (the network admin for network events);
//! participants joined with the code (with their account, or as a guest with a display name where the
//! workshop allows it). Participants are refused once the code has expired; moderators keep their access.

pub mod actions;
pub mod convert;
pub mod page;
pub mod protocol;
pub mod stream;

use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::state::AppState;
use axum_extra::extract::CookieJar;
use domain::permission::Permission;
use store::boards::{Board, Card, Cluster, Link, Participant, Round};
use store::municipalities::Municipality;

/// The guest cookie: a random token whose hash identifies the browser's participant rows.
pub const GUEST_COOKIE: &str = "wk_guest";

/// The board of a request and the visitor's standing on it.
pub struct Access {
    pub board: Board,
    pub municipality: Option<Municipality>,
    pub moderator: bool,
    pub participant: Option<Participant>,
    /// The code still admits participants (not closed, not expired).
    pub open: bool,
    pub user_id: Option<i64>,
}

impl Access {
    pub async fn load(
        state: &AppState,
        ctx: &RequestCtx,
        jar: &CookieJar,
        code: &str,
    ) -> Result<Access, AppError> {
        let code = domain::board::normalise_code(code).ok_or(AppError::NotFound)?;
        let board = store::boards::by_code(&state.db, &code)
            .await?
            .ok_or(AppError::NotFound)?;
        let municipality = match board.municipality_id {
            Some(id) => Some(store::municipalities::by_id(&state.db, id).await?),
            None => None,
        };
        let moderator = match board.municipality_id {
            Some(id) => ctx.can(Permission::EditCity(id)),
            None => ctx.actor.is_admin(),
        };
        let participant = match ctx.actor.user_id {
            Some(uid) => {
                store::boards::participant_of_user(&state.db, board.workshop_id, uid).await?
            }
            None => match jar.get(GUEST_COOKIE) {
                Some(c) => {
                    let hash = store::tokens::hash_token(c.value());
                    store::boards::guest(&state.db, board.workshop_id, &hash).await?
                }
                None => None,
            },
        };
        let open = domain::board::code_valid(store::now_secs(), board.ends_at, board.closed);
        Ok(Access {
            board,
            municipality,
            moderator,
            participant,
            open,
            user_id: ctx.actor.user_id,
        })
    }

    /// `/w/{code}{rest}`.
    pub fn path(&self, rest: &str) -> String {
        format!("/w/{}{rest}", self.board.join_code)
    }

    pub fn display_code(&self) -> String {
        domain::board::display_code(&self.board.join_code)
    }

    /// Where the workshop's own page is.
    pub fn workshop_path(&self) -> String {
        match &self.municipality {
            Some(m) => format!(
                "/kommunen/{}/werkstaetten/{}",
                m.slug, self.board.workshop_id
            ),
            None => "/netzwerk".to_string(),
        }
    }

    pub fn require_moderator(&self) -> Result<(), AppError> {
        if self.moderator {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The participant that may contribute now: joined, and the board still open (moderators always).
    pub fn contributor(&self) -> Option<Option<i64>> {
        match (&self.participant, self.moderator) {
            (_, true) => Some(self.participant.as_ref().map(|p| p.id)),
            (Some(p), false) if self.open => Some(Some(p.id)),
            _ => None,
        }
    }

    /// May see the board's content (moderators and participants, also after the code expired).
    pub fn may_view(&self) -> bool {
        self.moderator || self.participant.is_some()
    }
}

/// A card as shown.
#[derive(Debug, Clone)]
pub struct CardView {
    pub id: i64,
    pub text: String,
    pub category: String,
    pub category_label: &'static str,
    pub cluster_id: Option<i64>,
    pub hidden: bool,
    pub merged_into: Option<i64>,
    pub dots: i64,
    pub mine: i64,
    pub links: Vec<Link>,
}

impl CardView {
    pub fn in_cluster(&self, id: &i64) -> bool {
        self.cluster_id == Some(*id)
    }
}

#[derive(Debug, Clone)]
pub struct ClusterView {
    pub id: i64,
    pub name: String,
    pub dots: i64,
    pub cards: Vec<CardView>,
}

/// Everything the live part of the board shows, for one viewer.
pub struct Snapshot {
    pub seq: i64,
    pub clusters: Vec<ClusterView>,
    pub unsorted: Vec<CardView>,
    /// Hidden cards (moderators only).
    pub hidden: Vec<CardView>,
    pub open_round: Option<Round>,
    /// The round whose dots are shown: the open one, else the last closed one.
    pub shown_round: Option<Round>,
    pub rounds: Vec<Round>,
    /// `(label, dots)` of cards and of clusters in the shown round, most dots first.
    pub card_ranking: Vec<(String, i64)>,
    pub cluster_ranking: Vec<(String, i64)>,
    pub remaining: Option<i64>,
    pub participants: usize,
    pub card_count: usize,
}

impl Snapshot {
    pub async fn load(
        state: &AppState,
        access: &Access,
        with_hidden: bool,
    ) -> Result<Snapshot, AppError> {
        let wid = access.board.workshop_id;
        let db = &state.db;
        let cards = store::boards::cards(db, wid).await?;
        let clusters = store::boards::clusters(db, wid).await?;
        let rounds = store::boards::rounds(db, wid).await?;
        let links = store::boards::links(db, wid).await?;
        let participants = store::boards::participants(db, wid).await?.len();
        let open_round = rounds.iter().find(|r| r.closed_at.is_none()).cloned();
        let shown_round = open_round.clone().or_else(|| rounds.last().cloned());
        let (tally, mine) = match &shown_round {
            Some(r) => {
                let tally = store::boards::tally(db, r.id).await?;
                let mine = match &access.participant {
                    Some(p) => store::boards::my_votes(db, r.id, p.id).await?,
                    None => vec![],
                };
                (tally, mine)
            }
            None => (vec![], vec![]),
        };
        let remaining = match (&open_round, &access.participant) {
            (Some(r), Some(_)) => Some(r.dots - mine.iter().map(|(_, d)| d).sum::<i64>()),
            _ => None,
        };
        Ok(build(
            access.board.seq,
            cards,
            clusters,
            rounds,
            open_round,
            shown_round,
            &tally,
            &mine,
            links,
            remaining,
            participants,
            with_hidden,
        ))
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    seq: i64,
    cards: Vec<Card>,
    clusters: Vec<Cluster>,
    rounds: Vec<Round>,
    open_round: Option<Round>,
    shown_round: Option<Round>,
    tally: &[(i64, i64)],
    mine: &[(i64, i64)],
    links: Vec<Link>,
    remaining: Option<i64>,
    participants: usize,
    with_hidden: bool,
) -> Snapshot {
    let dots_of = |id: i64, list: &[(i64, i64)]| {
        list.iter()
            .find(|(c, _)| *c == id)
            .map(|(_, d)| *d)
            .unwrap_or(0)
    };
    let card_ids: Vec<(i64, Option<i64>)> = cards
        .iter()
        .filter(|c| !c.hidden)
        .map(|c| (c.id, c.cluster_id))
        .collect();
    let cluster_dots = domain::board::cluster_ranking(
        &clusters.iter().map(|c| c.id).collect::<Vec<_>>(),
        &card_ids,
        tally,
    );
    let mut views: Vec<ClusterView> = clusters
        .iter()
        .map(|c| ClusterView {
            id: c.id,
            name: c.name.clone(),
            dots: cluster_dots
                .iter()
                .find(|(id, _)| *id == c.id)
                .map(|(_, d)| *d)
                .unwrap_or(0),
            cards: vec![],
        })
        .collect();
    let mut unsorted = vec![];
    let mut hidden = vec![];
    let mut card_ranking = vec![];
    let card_count = cards.iter().filter(|c| !c.hidden).count();
    for c in cards {
        let v = CardView {
            id: c.id,
            category_label: domain::board::category_label(c.category.as_deref()),
            category: c.category.clone().unwrap_or_default(),
            text: c.text,
            cluster_id: c.cluster_id,
            hidden: c.hidden,
            merged_into: c.merged_into,
            dots: dots_of(c.id, tally),
            mine: dots_of(c.id, mine),
            links: links
                .iter()
                .filter(|l| l.card_id == c.id)
                .cloned()
                .collect(),
        };
        if v.hidden {
            if with_hidden {
                hidden.push(v);
            }
            continue;
        }
        if v.dots > 0 {
            card_ranking.push((v.text.clone(), v.dots));
        }
        match v
            .cluster_id
            .and_then(|id| views.iter_mut().find(|c| c.id == id))
        {
            Some(cluster) => cluster.cards.push(v),
            None => unsorted.push(v),
        }
    }
    card_ranking.sort_by_key(|c| std::cmp::Reverse(c.1));
    let cluster_ranking = cluster_dots
        .iter()
        .filter(|(_, d)| *d > 0)
        .filter_map(|(id, d)| {
            clusters
                .iter()
                .find(|c| c.id == *id)
                .map(|c| (c.name.clone(), *d))
        })
        .collect();
    Snapshot {
        seq,
        clusters: views,
        unsorted,
        hidden,
        open_round,
        shown_round,
        rounds,
        card_ranking,
        cluster_ranking,
        remaining,
        participants,
        card_count,
    }
}
