//! What the conditional writes — create, save, delete, update — share: the
//! condition and expected version a builder collects, sending the write and
//! telling a failed condition from an error, and the error a failed
//! condition becomes.

use super::builder::{try_send, Claimed, SdkRequest};
use super::{and, describe_key, Rendered};
use crate::attr::Item;
use crate::expr::Condition;
use crate::locking::{conflict_or, has_version};
use crate::model::Model;
use crate::{Error, Result};
use aws_sdk_dynamodb::operation::{delete_item, put_item, update_item};
use aws_sdk_dynamodb::types::ReturnValuesOnConditionCheckFailure;

/// What a delete or an update must find stored: the builder's conditions
/// and, for optimistic locking, a version.
#[derive(Default)]
pub(crate) struct Guard {
    condition: Option<Condition>,
    expected_version: Option<u64>,
}

impl Guard {
    /// Adds `condition` to the conditions so far.
    pub fn condition(&mut self, condition: Condition) {
        self.condition = and(self.condition.take(), Some(condition));
    }

    /// The stored item must have version `version`.
    pub fn expect_version(&mut self, version: u64) {
        self.expected_version = Some(version);
    }

    /// The version the stored item must have, if any.
    pub fn expected_version(&self) -> Option<u64> {
        self.expected_version
    }

    /// The condition to send: `first`, then the version check (for a
    /// versioned model), then the builder's conditions.
    pub fn into_condition<M: Model>(self, first: Option<Condition>) -> Option<Condition> {
        let version = M::SCHEMA
            .version
            .zip(self.expected_version)
            .map(|(name, version)| has_version(name, version));
        and(and(first, version), self.condition)
    }
}

/// Defines `condition` and `expect_version` of a builder with a `guard`
/// field, each documented by the attributes before its name.
macro_rules! guard_methods {
    ($(#[$condition:meta])* condition; $(#[$version:meta])* expect_version) => {
        $(#[$condition])*
        pub fn condition(mut self, condition: $crate::expr::Condition) -> Self {
            self.guard.condition(condition);
            self
        }

        $(#[$version])*
        pub fn expect_version(mut self, version: u64) -> Self {
            self.guard.expect_version(version);
            self
        }
    };
}
pub(crate) use guard_methods;

/// What a conditional write came to.
pub(crate) enum Written {
    /// Written; the attributes DynamoDB returned, if it was asked for any.
    Done { attributes: Option<Item> },
    /// The condition did not hold: the item as stored (we always ask for it;
    /// it costs no capacity), `None` or empty when there is no item.
    ConditionFailed { stored: Option<Item> },
}

/// A write request whose condition can fail.
pub(crate) trait ConditionalWrite: SdkRequest {
    /// The attributes the write returned.
    fn attributes(output: Self::Output) -> Option<Item>;
    /// The stored item of a failed condition; any other error is given back.
    fn condition_failed(error: Self::Error) -> Claimed<Option<Item>, Self::Error>;
    /// The request with its rendered condition and expression maps, asking
    /// for the stored item when the condition fails.
    fn with_condition(self, rendered: Rendered) -> Self;
}

macro_rules! conditional_writes {
    ($($module:ident::$builder:ident => $error:ident;)*) => {$(
        impl ConditionalWrite for $module::builders::$builder {
            fn attributes(output: Self::Output) -> Option<Item> {
                output.attributes
            }
            fn with_condition(self, rendered: Rendered) -> Self {
                self.set_condition_expression(rendered.condition)
                    .set_expression_attribute_names(rendered.names)
                    .set_expression_attribute_values(rendered.values)
                    .return_values_on_condition_check_failure(
                        ReturnValuesOnConditionCheckFailure::AllOld,
                    )
            }
            fn condition_failed(error: Self::Error) -> Claimed<Option<Item>, Self::Error> {
                match error {
                    $module::$error::ConditionalCheckFailedException(failed) => {
                        Claimed::Answer(failed.item)
                    }
                    other => Claimed::Unclaimed(other),
                }
            }
        }
    )*};
}

conditional_writes! {
    put_item::PutItemFluentBuilder => PutItemError;
    update_item::UpdateItemFluentBuilder => UpdateItemError;
    delete_item::DeleteItemFluentBuilder => DeleteItemError;
}

/// Sends a conditional write; a failed condition is an answer, not an error.
pub(crate) async fn send_write<R: ConditionalWrite>(request: R) -> Result<Written> {
    match try_send(request).await {
        Ok(output) => Ok(Written::Done {
            attributes: R::attributes(output),
        }),
        Err(failed) => failed
            .claim(R::condition_failed)
            .map(|stored| Written::ConditionFailed { stored }),
    }
}

/// What a failed write condition means: [`Error::VersionConflict`] when the
/// stored version is not the `expected` one, else
/// [`Error::ConditionalCheckFailed`] with the stored item.
pub(crate) fn write_failed<M: Model>(
    operation: &'static str,
    expected: Option<u64>,
    key: Item,
    stored: Option<Item>,
) -> Error {
    conflict_or::<M>(expected, &key, stored.as_ref())
        .unwrap_or_else(|| condition_failed::<M>(operation, key, stored))
}

/// [`Error::ConditionalCheckFailed`] of a write of `key`, carrying the item
/// as stored.
pub(crate) fn condition_failed<M: Model>(
    operation: &'static str,
    key: Item,
    stored: Option<Item>,
) -> Error {
    let stored = stored.filter(|item| !item.is_empty());
    Error::ConditionalCheckFailed {
        model: M::SCHEMA.model,
        operation,
        key: describe_key::<M>(&key),
        item: stored.map(Box::new),
    }
}

/// A transaction takes the parts of a write its actions have; a
/// customization could not be applied whole, so it is refused.
pub(crate) fn refuse_customized(model: &'static str, customized: bool) -> Result<()> {
    if customized {
        return Err(Error::Config(format!(
            "{model}: a write with .customize(..) cannot join a transaction; \
             customize the transaction instead"
        )));
    }
    Ok(())
}
