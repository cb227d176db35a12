//! Opinion map (Meinungsbild), computed the way Pol.is computes it. Participants agree, disagree or pass on
//! short statements; from the vote matrix this crate finds opinion groups, places every participant on a
//! two-dimensional map, and names each group's representative statements and the statements with broad
//! consensus.
//!
//! The pipeline ([`analyze`]):
//!
//! 1. **Vote matrix** ([`matrix`]): agree = +1, disagree = −1, pass = 0, not voted = missing; a later vote of
//!    the same participant on the same statement replaces the earlier one; moderated-out statements are left
//!    out. Each column is centred on the mean of the votes cast on it (a missing vote counts as that mean, as
//!    in Pol.is), so the centred matrix stays sparse.
//! 2. **PCA** ([`pca`]): the first two principal components by subspace iteration over the sparse votes
//!    (never a dense participants × statements matrix), warm-started from the previous components.
//! 3. **Sparsity-aware projection**: a participant's projection is scaled by
//!    `sqrt(statements / statements voted on)`, so that people who voted on few statements are not pulled
//!    into the centre.
//! 4. **Groups** ([`cluster`]): participants with at least `min(7, statements)` votes are clustered by
//!    k-means (k-means++ seeding with a fixed seed) for k = 2..=`max_k`; the k with the best silhouette wins.
//!    Everybody else is still placed on the map, without a group.
//! 5. **Representative and consensus statements** ([`repness`]): Pol.is' add-one-smoothed probabilities,
//!    ratios and one- and two-proportion z-tests.
//!
//! Everything is deterministic for the same input and [`Options::seed`] and runs on one thread. Nothing in
//! here performs I/O except [`polis`], whose functions read and write Pol.is export CSV from any
//! `Read`/`Write`.

pub mod cluster;
pub mod live;
pub mod matrix;
pub mod pca;
pub mod polis;
pub mod repness;
pub mod synthetic;

use serde::{Deserialize, Serialize};

pub use polis::PolisError;

/// A short statement participants vote on (Pol.is: comment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub id: i64,
    pub text: String,
    /// The participant who wrote it, if known.
    pub author: Option<i64>,
    /// Rejected by moderation: ignored by the analysis.
    pub moderated_out: bool,
}

/// One vote. `value` is +1 (agree), −1 (disagree) or 0 (pass); the analysis uses only its sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub participant: i64,
    pub statement: i64,
    pub value: i8,
}

/// Statements and votes of one conversation. Votes are in the order they were cast: a later vote of the
/// same participant on the same statement replaces an earlier one. Votes on statements that are not in
/// `statements` are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub statements: Vec<Statement>,
    pub votes: Vec<Vote>,
}

/// Tuning of the analysis. The defaults are Pol.is' where Pol.is has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Largest number of groups tried (Pol.is: 5). Fewer are tried for small conversations: at most
    /// `2 + clustered participants / 12`, as in Pol.is.
    pub max_k: usize,
    /// Seed of every random choice (PCA start vectors, k-means++ seeding, silhouette sample).
    pub seed: u64,
    /// Participants with fewer votes than `min(min_votes, statements with votes)` are placed on the map but
    /// not clustered (Pol.is: 7).
    pub min_votes: usize,
    /// If fewer participants than this pass `min_votes`, the most active ones are clustered anyway, up to
    /// this number (Pol.is: 15).
    pub min_clustered: usize,
    /// Upper bound on PCA iterations (each is one pass over the votes).
    pub pca_max_iterations: usize,
    /// A component is done when its residual `‖AᵀA·u − λu‖`, relative to the first eigenvalue, is below this…
    pub pca_tolerance: f64,
    /// …or when its eigenvalue grew by less than this fraction of the first eigenvalue in the last pass (it
    /// then lies among nearly equal eigenvalues, typically noise, where every direction is as good).
    pub pca_stall_tolerance: f64,
    /// Upper bound on Lloyd iterations per k-means run.
    pub kmeans_max_iterations: usize,
    /// k-means++ restarts per k on a cold start; the run with the lowest within-group distance wins.
    pub kmeans_restarts: usize,
    /// The silhouette is computed on a fixed random sample of at most this many clustered participants
    /// (exactly when there are fewer).
    pub silhouette_sample: usize,
    /// With a previous analysis, its k is kept unless another k's silhouette is better by more than this
    /// (keeps the live map from flickering between k's; Pol.is uses a buffer of four updates instead).
    pub k_switch_margin: f64,
    /// Representative statements per group (Pol.is: 5).
    pub max_representative: usize,
    /// A statement is consensus when its smoothed agree (or disagree) probability is at least this in every
    /// group.
    pub consensus_threshold: f64,
    /// Consensus statements listed per direction (agree, disagree).
    pub max_consensus: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_k: 5,
            seed: 0x0919_5EED,
            min_votes: 7,
            min_clustered: 15,
            pca_max_iterations: 200,
            pca_tolerance: 1e-6,
            pca_stall_tolerance: 1e-4,
            kmeans_max_iterations: 100,
            kmeans_restarts: 3,
            silhouette_sample: 2_000,
            k_switch_margin: 0.02,
            max_representative: 5,
            consensus_threshold: 0.6,
            max_consensus: 5,
        }
    }
}

/// The result of [`analyze`]: the map, the groups and the statements that describe them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Every participant who voted, by ascending id.
    pub participants: Vec<Position>,
    /// The opinion groups, `0..k`.
    pub groups: Vec<Group>,
    /// Statements that every group agrees (or disagrees) with; agreed ones first, each part by descending
    /// probability.
    pub consensus: Vec<Consensus>,
    /// Number of groups (0 when nobody could be clustered, 1 when too few to split).
    pub k: usize,
    /// Mean silhouette of the chosen clustering (0 for k ≤ 1).
    pub silhouette: f64,
    /// Silhouette of every k tried, for transparency.
    pub candidates: Vec<Candidate>,
    /// The principal components; also the warm start of the next [`analyze_from`].
    pub components: Components,
}

/// A participant on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub participant: i64,
    pub x: f64,
    pub y: f64,
    /// Index into [`Analysis::groups`]; `None` for participants with too few votes to be clustered.
    pub group: Option<usize>,
    /// Votes counted (on statements that are not moderated out).
    pub votes: usize,
}

/// One opinion group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: usize,
    /// Participant ids, ascending.
    pub members: Vec<i64>,
    /// The group's centre on the map.
    pub centre: [f64; 2],
    /// What sets the group apart, agreed statements first (at most [`Options::max_representative`]).
    pub representative: Vec<Repness>,
}

/// A statement representative of a group (Pol.is "repness").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repness {
    pub statement: i64,
    pub text: String,
    /// The group agrees (true) or disagrees (false) with it.
    pub agree: bool,
    /// Smoothed probability that a member agrees (or disagrees): `(1 + n_success) / (2 + n_trials)`.
    pub probability: f64,
    /// That probability divided by the same probability outside the group.
    pub ratio: f64,
    /// Two-proportion z-statistic, group against the rest (≥ 1.2816 is significant at 90 %).
    pub z: f64,
    /// Members who agreed (or disagreed).
    pub n_success: usize,
    /// Members who voted on it (passes included).
    pub n_trials: usize,
}

/// A statement with broad agreement (or disagreement) across all groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consensus {
    pub statement: i64,
    pub text: String,
    pub agree: bool,
    /// Product over the groups of the smoothed agree (or disagree) probability.
    pub probability: f64,
}

/// Silhouette of one k tried.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub k: usize,
    pub silhouette: f64,
}

/// The two principal components over the statements with votes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Components {
    /// Statement ids, in the order of the vectors below.
    pub statements: Vec<i64>,
    /// Mean vote per statement (the centre of the data).
    pub center: Vec<f64>,
    /// Unit loading vectors of the first and second component.
    pub pc1: Vec<f64>,
    pub pc2: Vec<f64>,
    /// Variance along each component (eigenvalues of the covariance, divided by the participants).
    pub variance: [f64; 2],
    /// Power iterations used (each is one pass over the votes).
    pub iterations: usize,
}

/// Analyses a conversation from scratch. See the crate documentation for the steps.
pub fn analyze(c: &Conversation, o: &Options) -> Analysis {
    analyze_from(c, o, None)
}

/// Analyses a conversation, warm-started from a previous analysis of (an earlier state of) it.
///
/// This is what keeps a live map cheap and calm: the PCA starts from the previous components (so after a
/// few new votes it converges in a few passes and the map does not flip or rotate), k-means for the
/// previous k starts from the previous group centres (so group numbers stay with their groups), and the
/// previous k is kept unless another k is clearly better ([`Options::k_switch_margin`]). New statements and
/// participants simply join. The result is deterministic for the same input, options and previous
/// analysis, but may differ slightly from a cold [`analyze`] (another local optimum).
pub fn analyze_from(c: &Conversation, o: &Options, previous: Option<&Analysis>) -> Analysis {
    let m = matrix::VoteMatrix::build(c);
    let pca = pca::principal_components(&m, o, previous.map(|p| &p.components));
    let xy = pca::project(&m, &pca);
    let clustered = cluster::eligible(&m, o);
    let clustering = cluster::choose(&xy, &clustered, o, previous);
    let texts = |id: i64| {
        c.statements
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.text.clone())
            .unwrap_or_default()
    };
    let counts = repness::GroupCounts::count(&m, &clustering.group_of, clustering.centres.len());
    let mut groups: Vec<Group> = clustering
        .centres
        .iter()
        .enumerate()
        .map(|(g, centre)| Group {
            id: g,
            members: Vec::new(),
            centre: *centre,
            representative: repness::representative(&counts, &m, g, o)
                .into_iter()
                .map(|mut r| {
                    r.text = texts(r.statement);
                    r
                })
                .collect(),
        })
        .collect();
    let participants = m
        .participants
        .iter()
        .enumerate()
        .map(|(p, &id)| {
            let group = clustering.group_of[p].map(|g| g as usize);
            if let Some(g) = group {
                groups[g].members.push(id);
            }
            Position {
                participant: id,
                x: xy[p][0],
                y: xy[p][1],
                group,
                votes: m.row(p).len(),
            }
        })
        .collect();
    let consensus = repness::consensus(&m, &counts, o)
        .into_iter()
        .map(|mut s| {
            s.text = texts(s.statement);
            s
        })
        .collect();
    Analysis {
        participants,
        k: groups.len(),
        groups,
        consensus,
        silhouette: clustering.silhouette,
        candidates: clustering.candidates,
        components: pca.components(&m),
    }
}
