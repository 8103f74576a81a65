//! The most recent requests per mode, as the auth layer traced them: a
//! bounded ring that `/compare` reads for its percentiles and its "latest
//! request" figures. Nothing here measures; it keeps what the trace measured.

use crate::model::{compare::Percentiles, AuthMode, AuthTrace, Step};
use std::{collections::VecDeque, sync::Mutex};

/// Requests kept per mode: enough for a stable p95, small enough to sort
/// on every look.
pub const KEPT_PER_MODE: usize = 512;

#[derive(Debug, Clone, Copy)]
struct Sample {
    total_micros: u64,
    strict_lookup_micros: Option<u64>,
}

#[derive(Debug, Default)]
struct Lane {
    samples: VecDeque<Sample>,
    latest: Option<AuthTrace>,
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

    /// Keeps a request that presented a credential; anonymous ones say
    /// nothing about either mode.
    pub fn record(&self, trace: &AuthTrace) {
        let Some(mode) = trace.mode else {
            return;
        };
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
        lane.latest = Some(trace.clone());
    }

    pub fn latest(&self, mode: AuthMode) -> Option<AuthTrace> {
        self.lanes.lock().ok()?[lane_index(mode)].latest.clone()
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
                step: Step::UserLoaded,
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

    #[test]
    fn percentiles_are_nearest_rank() {
        let p = percentiles(1..=100).unwrap();
        assert_eq!((p.samples, p.median_micros, p.p95_micros), (100, 50, 95));
        let p = percentiles([7].into_iter()).unwrap();
        assert_eq!((p.median_micros, p.p95_micros), (7, 7));
        assert_eq!(percentiles(std::iter::empty()), None);
    }
}
