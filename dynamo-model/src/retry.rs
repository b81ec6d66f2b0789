//! Retries: how often and how patiently requests are repeated.
//!
//! Two layers share one [`RetryConfig`]:
//! - every single request goes through the SDK's standard retry, which
//!   repeats throttling errors (ProvisionedThroughputExceeded,
//!   ThrottlingException, RequestLimitExceeded), 5xx answers and connection
//!   failures with exponential backoff;
//! - batch operations then repeat what DynamoDB left unprocessed (and whole
//!   requests the SDK gave up on for one of those transient reasons), with
//!   exponential backoff and full jitter, for up to `batch_rounds` rounds.
//!   What is still not done after that is returned in the error, never
//!   dropped.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// How requests are retried; set with [`Client::with_retry`](crate::Client::with_retry).
///
/// ```
/// use dynamo_model::{Client, RetryConfig};
/// use std::time::Duration;
///
/// let db = Client::local("http://localhost:8000").with_retry(RetryConfig {
///     batch_rounds: 20,
///     initial_backoff: Duration::from_millis(10),
///     ..RetryConfig::default()
/// });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts of one request by the SDK, the first included (default 3).
    pub max_attempts: u32,
    /// Rounds of a batch chunk, the first included, before the unprocessed
    /// rest is reported as an error (default 10).
    pub batch_rounds: u32,
    /// The first backoff; each retry doubles it (default 50 ms).
    pub initial_backoff: Duration,
    /// The longest backoff (default 5 s).
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            batch_rounds: 10,
            initial_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryConfig {
    /// The SDK's retry configuration for single requests.
    pub(crate) fn to_sdk(self) -> aws_sdk_dynamodb::config::retry::RetryConfig {
        aws_sdk_dynamodb::config::retry::RetryConfig::standard()
            .with_max_attempts(self.max_attempts.max(1))
            .with_initial_backoff(self.initial_backoff)
            .with_max_backoff(self.max_backoff)
    }

    /// The pause before batch round `round` (1 for the first retry): a
    /// random time up to `initial * 2^(round-1)`, capped ("full jitter"), so
    /// concurrent writers spread out instead of retrying in step.
    pub(crate) fn backoff(&self, round: u32) -> Duration {
        let exponent = round.saturating_sub(1).min(20);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        let random = RandomState::new().build_hasher().finish();
        ceiling.mul_f64((random >> 11) as f64 / (1u64 << 53) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let config = RetryConfig {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            ..RetryConfig::default()
        };
        let samples: Vec<Duration> = (0..200).map(|_| config.backoff(3)).collect();
        assert!(samples.iter().all(|d| *d <= Duration::from_millis(400)));
        let distinct: std::collections::HashSet<_> = samples.iter().collect();
        assert!(distinct.len() > 100, "jittered");
        assert!((0..200).all(|_| config.backoff(30) <= Duration::from_millis(1000)));
    }
}
