//! `/guide`: a study group's hour, one step per claim of the debate.

/// A step of the guide, in the order a group takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuideStep {
    Stateless,
    Storage,
    Traffic,
    ForcedLogout,
    RoleChange,
    Servers,
    CsrfXss,
    Refresh,
    Attacks,
}

impl GuideStep {
    pub const ALL: [GuideStep; 9] = [
        GuideStep::Stateless,
        GuideStep::Storage,
        GuideStep::Traffic,
        GuideStep::ForcedLogout,
        GuideStep::RoleChange,
        GuideStep::Servers,
        GuideStep::CsrfXss,
        GuideStep::Refresh,
        GuideStep::Attacks,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GuideStep::Stateless => "stateless",
            GuideStep::Storage => "storage",
            GuideStep::Traffic => "traffic",
            GuideStep::ForcedLogout => "forced_logout",
            GuideStep::RoleChange => "role_change",
            GuideStep::Servers => "servers",
            GuideStep::CsrfXss => "csrf_xss",
            GuideStep::Refresh => "refresh",
            GuideStep::Attacks => "attacks",
        }
    }

    /// Minutes the step takes; the steps add up to an hour.
    pub fn minutes(self) -> u32 {
        match self {
            GuideStep::Stateless => 5,
            GuideStep::Storage => 6,
            GuideStep::Traffic => 5,
            GuideStep::ForcedLogout => 8,
            GuideStep::RoleChange => 5,
            GuideStep::Servers => 5,
            GuideStep::CsrfXss => 9,
            GuideStep::Refresh => 7,
            GuideStep::Attacks => 10,
        }
    }

    /// Where the step's experiments run, in the order to open them.
    pub fn links(self) -> &'static [&'static str] {
        match self {
            GuideStep::Stateless => &["/compare", "/lab#lab-checks"],
            GuideStep::Storage => &["/compare#stored-session", "/lab#replay-session_fixation"],
            GuideStep::Traffic => &["/compare#wire"],
            GuideStep::ForcedLogout => &[
                "/lab#propagation-forced_logout",
                "/lab#replay-jwt_after_logout",
                "/compare/race",
            ],
            GuideStep::RoleChange => &["/lab#propagation-role_change", "/compare/race"],
            GuideStep::Servers => &["/compare#trade-offs"],
            GuideStep::CsrfXss => &["/lab#script-read", "/lab#csrf"],
            GuideStep::Refresh => &["/lab#replay-refresh_reuse", "/me"],
            GuideStep::Attacks => &["/lab#lab-checks", "/lab#lab-naive"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::GuideStep;

    #[test]
    fn the_guide_takes_an_hour() {
        assert_eq!(GuideStep::ALL.iter().map(|step| step.minutes()).sum::<u32>(), 60);
    }
}
