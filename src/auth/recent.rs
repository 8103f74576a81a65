//! The most recent requests per mode, as the auth layer traced them: a
//! bounded ring that `/compare` reads for its percentiles and its "latest
//! request" figures. Nothing here measures; it keeps what the trace measured.

use crate::model::{compare::Percentiles, AuthMode, AuthTrace, Step};
use std::{collections::VecDeque, sync::Mutex};

/// Requests kept per mode: enough for a stable p95, small enough to sort
/// on every look.
pub const KEPT_PER_MODE: usize = 512;
/// Distinct requests (method and path) whose latest trace each mode keeps,
/// so that both modes can be compared on the same request.
const KEPT_REQUEST_KINDS: usize = 16;

#[derive(Debug, Clone, Copy)]
struct Sample {
    total_micros: u64,
    strict_lookup_micros: Option<u64>,
}

#[derive(Debug, Default)]
struct Lane {
    samples: VecDeque<Sample>,
    /// The latest trace per request (`GET /api/me`, ...), oldest first: the
    /// last one is the latest request of all.
    by_request: VecDeque<AuthTrace>,
}

impl Lane {
    fn latest_of(&self, request: &str) -> Option<&AuthTrace> {
        self.by_request.iter().find(|trace| trace.request == request)
    }
}

/// A request for a file (an asset, the favicon): the browser sends its
/// cookies along, but such a request says nothing about a page or an API.
fn is_file_request(request: &str) -> bool {
    request.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

#[derive(Debug)]
pub struct RecentTraces {
    capacity: usize,
    since: i64,
    lanes: Mutex<[Lane; 2]>,
}

fn lane_index(mode: AuthMode) -> usize {
    match mode {
        AuthMode::Session => 0,
        AuthMode::Jwt => 1,
    }
}

impl RecentTraces {
    pub fn new(capacity: usize, since: i64) -> Self {
        RecentTraces {
            capacity: capacity.max(1),
            since,
            lanes: Mutex::new(Default::default()),
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Unix time of the first request these figures could include.
    pub fn since(&self) -> i64 {
        self.since
    }

    /// Keeps a request that presented a credential; anonymous ones and
    /// requests for files say nothing about either mode.
    pub fn record(&self, trace: &AuthTrace) {
        let Some(mode) = trace.mode else {
            return;
        };
        if is_file_request(&trace.request) {
            return;
        }
        let sample = Sample {
            total_micros: trace.total_micros,
            strict_lookup_micros: trace.steps.iter().find_map(|step| match step.step {
                Step::StrictLookupLive => Some(step.micros),
                Step::Refused {
                    refusal: crate::model::Refusal::StrictRevoked,
                } => Some(step.micros),
                _ => None,
            }),
        };
        let Ok(mut lanes) = self.lanes.lock() else {
            return;
        };
        let lane = &mut lanes[lane_index(mode)];
        if lane.samples.len() == self.capacity {
            lane.samples.pop_front();
        }
        lane.samples.push_back(sample);
        lane.by_request.retain(|kept| kept.request != trace.request);
        if lane.by_request.len() == KEPT_REQUEST_KINDS {
            lane.by_request.pop_front();
        }
        lane.by_request.push_back(trace.clone());
    }

    /// The latest session and JWT traces of one same request, so that
    /// their sizes compare like with like: `preferred` if both modes made
    /// it, else the most recent request both modes made.
    pub fn same_request(&self, preferred: Option<&str>) -> Option<(AuthTrace, AuthTrace)> {
        let lanes = self.lanes.lock().ok()?;
        let [session, jwt] = &*lanes;
        let pair = |request: &str| Some((session.latest_of(request)?.clone(), jwt.latest_of(request)?.clone()));
        preferred
            .and_then(pair)
            .or_else(|| jwt.by_request.iter().rev().find_map(|trace| pair(&trace.request)))
    }

    pub fn latest(&self, mode: AuthMode) -> Option<AuthTrace> {
        self.lanes.lock().ok()?[lane_index(mode)].by_request.back().cloned()
    }

    /// What the auth layer spent on the kept requests of `mode`.
    pub fn check_cost(&self, mode: AuthMode) -> Option<Percentiles> {
        let lanes = self.lanes.lock().ok()?;
        percentiles(lanes[lane_index(mode)].samples.iter().map(|sample| sample.total_micros))
    }

    /// Strict revocation's lookup alone, over the kept requests that made it.
    pub fn strict_lookup_cost(&self, mode: AuthMode) -> Option<Percentiles> {
        let lanes = self.lanes.lock().ok()?;
        percentiles(
            lanes[lane_index(mode)]
                .samples
                .iter()
                .filter_map(|sample| sample.strict_lookup_micros),
        )
    }
}

/// Nearest-rank median and 95th percentile; `None` without samples.
fn percentiles(values: impl Iterator<Item = u64>) -> Option<Percentiles> {
    let mut values: Vec<u64> = values.collect();
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let rank = |fraction: f64| {
        let rank = (fraction * values.len() as f64).ceil() as usize;
        values[rank.clamp(1, values.len()) - 1]
    };
    Some(Percentiles {
        samples: values.len(),
        median_micros: rank(0.5),
        p95_micros: rank(0.95),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TraceStep;

    fn trace(mode: Option<AuthMode>, total_micros: u64) -> AuthTrace {
        AuthTrace {
            mode,
            total_micros,
            steps: vec![TraceStep {
                step: Step::UserLoaded { cached: false },
                micros: total_micros,
            }],
            ..AuthTrace::default()
        }
    }

    #[test]
    fn keeps_at_most_its_capacity_per_mode_and_forgets_the_oldest() {
        let recent = RecentTraces::new(4, 0);
        for micros in 1..=10 {
            recent.record(&trace(Some(AuthMode::Session), micros));
        }
        recent.record(&trace(Some(AuthMode::Jwt), 99));
        recent.record(&trace(None, 1_000_000));
        let session = recent.check_cost(AuthMode::Session).unwrap();
        assert_eq!(session.samples, 4);
        // 7, 8, 9, 10 are kept.
        assert_eq!((session.median_micros, session.p95_micros), (8, 10));
        assert_eq!(recent.check_cost(AuthMode::Jwt).unwrap().samples, 1);
        assert_eq!(recent.latest(AuthMode::Session).unwrap().total_micros, 10);
        assert_eq!(recent.strict_lookup_cost(AuthMode::Jwt), None);
    }

    fn request(mode: AuthMode, request: &str, bytes: usize) -> AuthTrace {
        AuthTrace {
            mode: Some(mode),
            request: request.into(),
            request_header_bytes: bytes,
            ..AuthTrace::default()
        }
    }

    #[test]
    fn compares_the_modes_on_one_same_request_and_ignores_files() {
        let recent = RecentTraces::new(8, 0);
        recent.record(&request(AuthMode::Session, "GET /api/me", 100));
        recent.record(&request(AuthMode::Jwt, "POST /rpc/compare", 900));
        recent.record(&request(AuthMode::Jwt, "GET /api/me", 400));
        recent.record(&request(AuthMode::Session, "GET /favicon.png", 5));
        assert_eq!(recent.latest(AuthMode::Session).unwrap().request, "GET /api/me");
        let (session, jwt) = recent.same_request(Some("POST /rpc/compare")).unwrap();
        assert_eq!((session.request_header_bytes, jwt.request_header_bytes), (100, 400));
        recent.record(&request(AuthMode::Session, "POST /rpc/compare", 200));
        let (session, jwt) = recent.same_request(Some("POST /rpc/compare")).unwrap();
        assert_eq!((session.request_header_bytes, jwt.request_header_bytes), (200, 900));
        assert!(RecentTraces::new(8, 0).same_request(None).is_none());
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let p = percentiles(1..=100).unwrap();
        assert_eq!((p.samples, p.median_micros, p.p95_micros), (100, 50, 95));
        let p = percentiles([7].into_iter()).unwrap();
        assert_eq!((p.median_micros, p.p95_micros), (7, 7));
        assert_eq!(percentiles(std::iter::empty()), None);
    }
}
