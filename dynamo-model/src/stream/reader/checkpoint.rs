//! Where a stream reader is: per shard, the last record delivered or that
//! the shard was read to its end. Saved as text, it resumes a reader with
//! nothing skipped and nothing delivered twice.

use crate::{Error, Result};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// A reader's position in a table's stream, handed out with every change
/// (see [`StreamChange`](super::StreamChange)): store it after the change is
/// handled, and [`resume`](super::Changes::resume) from it.
///
/// Its text form (`Display` / `FromStr`) is what to store:
///
/// ```
/// use dynamo_model::stream::Checkpoint;
/// let text = "v1|arn:aws:dynamodb:us-east-1:1:table/t/stream/2024|shardId-1=000123;shardId-0=*";
/// let checkpoint: Checkpoint = text.parse()?;
/// assert_eq!(checkpoint.to_string().parse::<Checkpoint>()?, checkpoint);
/// # Ok::<(), dynamo_model::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkpoint {
    stream_arn: String,
    shards: BTreeMap<String, Mark>,
}

/// How far one shard has been read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Mark {
    /// Up to and including the record with this sequence number.
    After(String),
    /// To its end: a closed shard, read completely.
    Finished,
}

impl Checkpoint {
    pub(super) fn new(stream_arn: &str) -> Self {
        Self {
            stream_arn: stream_arn.to_owned(),
            shards: BTreeMap::new(),
        }
    }

    /// The stream this position is in.
    pub fn stream_arn(&self) -> &str {
        &self.stream_arn
    }

    pub(super) fn mark(&self, shard: &str) -> Option<&Mark> {
        self.shards.get(shard)
    }

    pub(super) fn set(&mut self, shard: &str, mark: Mark) {
        self.shards.insert(shard.to_owned(), mark);
    }

    /// Forgets shards the stream no longer has (trimmed after 24 hours), so
    /// a checkpoint does not grow forever.
    pub(super) fn retain(&mut self, live: impl Fn(&str) -> bool) {
        self.shards.retain(|shard, _| live(shard));
    }
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v1|{}|", self.stream_arn)?;
        for (i, (shard, mark)) in self.shards.iter().enumerate() {
            let separator = if i == 0 { "" } else { ";" };
            match mark {
                Mark::After(sequence) => write!(f, "{separator}{shard}={sequence}")?,
                Mark::Finished => write!(f, "{separator}{shard}=*")?,
            }
        }
        Ok(())
    }
}

impl FromStr for Checkpoint {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        let invalid = |why: &str| {
            Error::Config(format!(
                "not a stream checkpoint ({why}): {text:?}; pass the text of a Checkpoint"
            ))
        };
        let mut parts = text.splitn(3, '|');
        if parts.next() != Some("v1") {
            return Err(invalid("it does not start with v1|"));
        }
        let stream_arn = parts.next().filter(|arn| !arn.is_empty());
        let stream_arn = stream_arn.ok_or_else(|| invalid("no stream ARN"))?;
        let mut checkpoint = Self::new(stream_arn);
        for entry in parts.next().unwrap_or_default().split(';') {
            if entry.is_empty() {
                continue;
            }
            let (shard, mark) = entry
                .split_once('=')
                .filter(|(shard, mark)| !shard.is_empty() && !mark.is_empty())
                .ok_or_else(|| invalid("a shard without `=position`"))?;
            let mark = match mark {
                "*" => Mark::Finished,
                sequence if sequence.bytes().all(|b| b.is_ascii_digit()) => {
                    Mark::After(sequence.to_owned())
                }
                _ => return Err(invalid("a sequence number that is not digits")),
            };
            checkpoint.set(shard, mark);
        }
        Ok(checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_bad_text_is_refused() {
        let mut checkpoint = Checkpoint::new("arn:aws:dynamodb:ddblocal:0:table/t/stream/x");
        assert_eq!(
            checkpoint.to_string(),
            "v1|arn:aws:dynamodb:ddblocal:0:table/t/stream/x|"
        );
        checkpoint.set("shardId-b", Mark::After("0042".into()));
        checkpoint.set("shardId-a", Mark::Finished);
        let text = checkpoint.to_string();
        assert_eq!(
            text,
            "v1|arn:aws:dynamodb:ddblocal:0:table/t/stream/x|shardId-a=*;shardId-b=0042"
        );
        assert_eq!(text.parse::<Checkpoint>().unwrap(), checkpoint);
        for bad in ["", "v2|arn|", "v1||", "v1|arn|shard", "v1|arn|shard=12x"] {
            let error = bad.parse::<Checkpoint>().unwrap_err();
            assert!(
                error.to_string().contains("not a stream checkpoint"),
                "{bad}"
            );
        }
    }
}
