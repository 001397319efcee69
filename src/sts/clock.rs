//! The simulated clock: real time, sped up, or paused, so a room can watch a
//! one-hour session expire in six seconds. Time enters as values; nothing
//! here reads the system clock.

/// The speeds a trainer steps through with `+` and `-`.
pub const SPEEDS: [u32; 4] = [1, 10, 60, 600];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimClock {
    /// Simulated time, in milliseconds since the epoch.
    now_ms: i64,
    speed_index: usize,
    paused: bool,
}

impl SimClock {
    /// A clock at `start_epoch` seconds, running at 1×.
    pub fn new(start_epoch: i64) -> Self {
        SimClock {
            now_ms: start_epoch.saturating_mul(1000),
            speed_index: 0,
            paused: false,
        }
    }

    /// Advances by `real_elapsed_ms` of wall time, times the speed.
    pub fn advance(&mut self, real_elapsed_ms: i64) {
        if !self.paused && real_elapsed_ms > 0 {
            self.now_ms = self
                .now_ms
                .saturating_add(real_elapsed_ms.saturating_mul(i64::from(self.speed())));
        }
    }

    /// Jumps forward by simulated seconds (tours: "advance until expiry").
    pub fn skip(&mut self, seconds: i64) {
        self.now_ms = self.now_ms.saturating_add(seconds.saturating_mul(1000));
    }

    /// Sets the time (restoring a saved demo; no session may be running).
    pub fn set(&mut self, epoch: i64) {
        self.now_ms = epoch.saturating_mul(1000);
    }

    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// Whole seconds since the epoch.
    pub fn now(&self) -> i64 {
        self.now_ms.div_euclid(1000)
    }

    pub fn speed(&self) -> u32 {
        SPEEDS[self.speed_index]
    }

    pub fn faster(&mut self) {
        self.speed_index = (self.speed_index + 1).min(SPEEDS.len() - 1);
    }

    pub fn slower(&mut self) {
        self.speed_index = self.speed_index.saturating_sub(1);
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    pub fn toggle_pause(&mut self) {
        self.paused = !self.paused;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_pause_and_skip() {
        let mut clock = SimClock::new(1000);
        clock.advance(1500);
        assert_eq!(clock.now_ms(), 1_001_500);
        assert_eq!(clock.now(), 1001);
        clock.faster();
        clock.faster();
        assert_eq!(clock.speed(), 60);
        clock.advance(1000);
        assert_eq!(clock.now(), 1061);
        clock.faster();
        clock.faster();
        assert_eq!(clock.speed(), 600, "stops at the fastest");
        clock.toggle_pause();
        clock.advance(10_000);
        assert_eq!(clock.now(), 1061, "paused");
        clock.toggle_pause();
        clock.slower();
        clock.slower();
        clock.slower();
        clock.slower();
        assert_eq!(clock.speed(), 1, "stops at 1x");
        clock.skip(3600);
        assert_eq!(clock.now(), 4661);
        clock.advance(-5);
        assert_eq!(clock.now(), 4661, "time never runs backwards");
    }
}
