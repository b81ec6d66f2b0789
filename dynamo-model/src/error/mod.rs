//! The one error type of dynamo-model.

use crate::attr::{AttributeError, AttributeErrorKind, Item};

mod service;

pub(crate) use service::is_throttling_code;
pub use service::ServiceSource;

/// Shorthand for `Result<T, dynamo_model::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong, with what users branch on as variants and
/// `is_*` helpers. Every message names the model, the attribute path or key,
/// and what to do about it.
///
/// ```
/// # async fn demo(db: &dynamo_model::Client) {
/// # use dynamo_model::Model;
/// # #[derive(dynamo_model::Model)] struct User { #[model(hash_key)] id: String }
/// let user = User { id: "u1".into() };
/// match User::create(db, &user).await {
///     Ok(()) => {}
///     Err(e) if e.is_already_exists() => println!("taken: {e}"),
///     Err(e) => panic!("{e}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `create` found an item with the same key.
    #[error("{model}: an item with key {key} already exists (create never overwrites; use save to replace it)")]
    AlreadyExists {
        /// The model's Rust name.
        model: &'static str,
        /// The key, rendered for people.
        key: String,
    },

    /// A write's condition did not hold.
    #[error("{model}: the condition of {operation} on key {key} did not hold")]
    ConditionalCheckFailed {
        /// The model's Rust name.
        model: &'static str,
        /// The operation (`PutItem`, `UpdateItem`, ...).
        operation: &'static str,
        /// The key, rendered for people.
        key: String,
        /// The item as stored when the condition failed, when it was asked for.
        item: Option<Box<Item>>,
    },

    /// Optimistic locking: the stored item's version is not the one the
    /// write expected: it was written (or deleted) since the struct written
    /// was read.
    #[error("{model}: item {key} {}, and this write expected version {expected}: it was written since this copy was read (or since the write that gave it its version); read it again, reapply the change and retry", found.map_or("no longer exists".to_owned(), |v| format!("has version {v}")))]
    VersionConflict {
        /// The model's Rust name.
        model: &'static str,
        /// The key, rendered for people.
        key: String,
        /// The version the write expected.
        expected: u64,
        /// The stored version; `None` when there is no item.
        found: Option<u64>,
    },

    /// Values break the model's validation rules; nothing was sent.
    #[error("{model}: {} rule(s) broken: {}", failures.len(), failures.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Validation {
        /// The model's Rust name.
        model: &'static str,
        /// Every broken rule, in declaration order.
        failures: Vec<crate::rules::Failure>,
    },

    /// A stored value could not be read into the model.
    ///
    /// ```
    /// use dynamo_model::aws_sdk_dynamodb::types::AttributeValue;
    /// use dynamo_model::Model;
    ///
    /// #[derive(Model, Debug)]
    /// struct User {
    ///     #[model(hash_key)]
    ///     id: String,
    ///     logins: u64,
    /// }
    ///
    /// // Another writer stored a string where the model has a number.
    /// let item = [
    ///     ("id".to_owned(), AttributeValue::S("u1".into())),
    ///     ("logins".to_owned(), AttributeValue::S("many".into())),
    /// ];
    /// let error = User::from_item(item.into_iter().collect()).unwrap_err();
    /// assert!(error.is_decode());
    /// assert_eq!(
    ///     error.to_string(),
    ///     r#"User: cannot read attribute `logins` of item {id: "u1"}: expected type N, found type S"#
    /// );
    /// ```
    #[error("{model}: cannot read attribute `{path}`{}: {kind}", key.as_deref().map(|key| format!(" of item {key}")).unwrap_or_default())]
    Decode {
        /// The model's Rust name.
        model: &'static str,
        /// The attribute path (`address.city`, `tags[2]`).
        path: String,
        /// The key of the item, rendered for people; `None` when the key
        /// itself could not be read, or the value was not read from a whole
        /// item.
        key: Option<String>,
        /// What was wrong with it.
        kind: AttributeErrorKind,
    },

    /// A stream record has no image where its change needs one (the old
    /// item of a `MODIFY` or `REMOVE`, the new one of an `INSERT` or
    /// `MODIFY`), because the stream's view type does not give it: a
    /// setting of the stream, not bad data (see [`crate::stream`]).
    #[error("{model}: the {image} image of this {change} record is not in this stream's view ({}); use the record's key, or set the stream's view type to NEW_AND_OLD_IMAGES", view.map_or_else(|| "view type not given".to_owned(), |view| view.to_string()))]
    NotInView {
        /// The model's Rust name.
        model: &'static str,
        /// The change the record is.
        change: crate::stream::ChangeKind,
        /// The image needed: `"old"` or `"new"`.
        image: &'static str,
        /// The stream's view type, when the record gives it.
        view: Option<crate::stream::StreamView>,
    },

    /// A model's [hook](crate::hooks) refused an item or a key; nothing
    /// was sent.
    #[error("{model}: the `{hook}` hook refused it: {reason}")]
    Hook {
        /// The model's Rust name.
        model: &'static str,
        /// The hook: `before_write`, `after_read`, `before_delete` or `on_key`.
        hook: &'static str,
        /// What the hook said.
        reason: String,
    },

    /// A value of the model cannot be stored in DynamoDB; nothing was sent.
    #[error("{model}: cannot store attribute `{path}`: {reason}")]
    InvalidValue {
        /// The model's Rust name.
        model: &'static str,
        /// The attribute path.
        path: String,
        /// What is wrong and what to do.
        reason: String,
    },

    /// An expression breaks one of DynamoDB's rules (length, operand count,
    /// overlapping update paths, an update of a key); nothing was sent.
    #[error("{model}: {reason}")]
    InvalidExpression {
        /// The model's Rust name.
        model: &'static str,
        /// What is wrong and what to do.
        reason: String,
    },

    /// An update or a conditional write found no item with the key, when the
    /// operation requires one (updates do unless `upsert()` is asked).
    #[error("{model}: no item with key {key}")]
    NotFound {
        /// The model's Rust name.
        model: &'static str,
        /// The key, rendered for people.
        key: String,
    },

    /// A transaction was canceled: nothing of it was applied. Lists each
    /// action that failed, with DynamoDB's reason.
    #[error("transaction canceled: {}", reasons.iter().map(|r| format!("action {} ({} {} in `{}`): {}{}", r.index, r.model, r.key, r.table, r.code, r.message.as_deref().map(|m| format!(" — {m}")).unwrap_or_default())).collect::<Vec<_>>().join("; "))]
    TransactionCanceled {
        /// The actions that failed, with their positions.
        reasons: Vec<crate::ops::transaction::CancelReason>,
    },

    /// A batch operation could not finish every item within its retries.
    /// Everything not listed was done; everything listed was not.
    #[error("{operation}: {} item(s) not processed after retries: {}{}", unprocessed.len(), crate::ops::batch::describe_unprocessed(unprocessed), cause.as_ref().map(|c| format!(" (last error: {c})")).unwrap_or_default())]
    BatchIncomplete {
        /// `BatchWriteItem` or `BatchGetItem`.
        operation: &'static str,
        /// Exactly the writes not applied, or keys not read.
        unprocessed: Vec<crate::ops::batch::Unprocessed>,
        /// The error that stopped the retries, if one did; also the
        /// error's [`source`](std::error::Error::source) (which downcasts
        /// to `Box<Error>`).
        #[source]
        cause: Option<Box<Error>>,
    },

    /// The item is larger than DynamoDB's 400 KB limit; nothing was sent.
    #[error("{model}: item with key {key} is {size} bytes, over DynamoDB's limit of {limit} bytes; store large values elsewhere (S3) and keep a reference")]
    ItemTooLarge {
        /// The model's Rust name.
        model: &'static str,
        /// The key, rendered for people.
        key: String,
        /// The item size as DynamoDB computes it.
        size: usize,
        /// The limit (409,600 bytes).
        limit: usize,
    },

    /// DynamoDB (or the network on the way to it) refused the request.
    #[error("{operation} on table `{table}` failed{}: {message}", code.as_deref().map(|c| format!(" with {c}")).unwrap_or_default())]
    Service {
        /// The DynamoDB operation (`GetItem`, `CreateTable`, ...).
        operation: &'static str,
        /// The table name as sent.
        table: String,
        /// The AWS error code (`ResourceNotFoundException`, ...), if any.
        code: Option<String>,
        /// The service's message, or the transport error.
        message: String,
        /// The SDK error.
        #[source]
        source: ServiceSource,
    },

    /// A cursor given to `start_after` was not handed out by this same read
    /// (another table, index, operation or scan segment), or is damaged;
    /// nothing was sent.
    #[error("{model}: cannot resume from this cursor: {reason}; pass the cursor of a page of this same query or scan, or start without one")]
    InvalidCursor {
        /// The model's Rust name.
        model: &'static str,
        /// What does not match.
        reason: String,
    },

    /// A table did not reach the wanted state in time.
    #[error("table `{table}` did not become {state} within {waited:?}")]
    Timeout {
        /// The table name.
        table: String,
        /// The state waited for (`ACTIVE`, `deleted`).
        state: &'static str,
        /// How long was waited.
        waited: std::time::Duration,
    },

    /// A table plan could not be applied as asked (destructive steps
    /// without the opt-in, a difference DynamoDB cannot change in place, a
    /// change DynamoDB accepted but did not make); the message says which
    /// and what to do. No step was taken after the problem was found.
    #[error("{model}: cannot bring table `{table}` in line with the model: {reason}")]
    TablePlan {
        /// The model's Rust name.
        model: &'static str,
        /// The table name.
        table: String,
        /// What stopped the apply.
        reason: String,
    },

    /// DynamoDB Local could not be provisioned (feature `local`); the message
    /// says what to install or set.
    #[error("DynamoDB Local: {0}")]
    Local(String),

    /// The client or a builder was set up wrongly.
    #[error("configuration: {0}")]
    Config(String),
}

impl Error {
    /// `create` failed because the key exists.
    pub fn is_already_exists(&self) -> bool {
        matches!(self, Self::AlreadyExists { .. })
    }

    /// A write's condition did not hold (a `create` on an existing key
    /// counts too: its condition is that the key is absent).
    pub fn is_conditional_check_failed(&self) -> bool {
        match self {
            Self::ConditionalCheckFailed { .. }
            | Self::AlreadyExists { .. }
            | Self::VersionConflict { .. } => true,
            Self::TransactionCanceled { reasons } => {
                reasons.iter().any(|r| r.code == "ConditionalCheckFailed")
            }
            _ => false,
        }
    }

    /// A transaction was canceled (see [`Error::TransactionCanceled`]).
    pub fn is_transaction_canceled(&self) -> bool {
        matches!(self, Self::TransactionCanceled { .. })
    }

    /// Optimistic locking: another writer got there first.
    pub fn is_version_conflict(&self) -> bool {
        matches!(self, Self::VersionConflict { .. })
    }

    /// Values broke the model's validation rules.
    pub fn is_validation(&self) -> bool {
        matches!(self, Self::Validation { .. })
    }

    /// A stored item could not be read into the model.
    pub fn is_decode(&self) -> bool {
        matches!(self, Self::Decode { .. })
    }

    /// A stream record lacks the image its change needs, because of the
    /// stream's view type (see [`Error::NotInView`]).
    pub fn is_not_in_view(&self) -> bool {
        matches!(self, Self::NotInView { .. })
    }

    /// A model's hook refused the operation (see [`Error::Hook`]).
    pub fn is_hook(&self) -> bool {
        matches!(self, Self::Hook { .. })
    }

    /// A value or expression was rejected before any request was sent.
    pub fn is_invalid_value(&self) -> bool {
        matches!(
            self,
            Self::InvalidValue { .. } | Self::ItemTooLarge { .. } | Self::InvalidExpression { .. }
        )
    }

    /// The operation needed an existing item and there was none.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. })
    }

    /// For a failed condition: the item as stored when it failed, decoded
    /// into `M` (`None` when there was no item).
    ///
    /// ```no_run
    /// # use dynamo_model::{Client, Model};
    /// # #[derive(Model)] struct User { #[model(hash_key)] id: String, logins: u64 }
    /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
    /// let f = User::fields();
    /// let user = User { id: "u1".into(), logins: 1 };
    /// if let Err(error) = User::save(db, &user).condition(f.logins.lt(1)).await {
    ///     let stored: Option<User> = error.current_item::<User>().transpose()?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn current_item<M: crate::Model>(&self) -> Option<Result<M>> {
        match self {
            Self::ConditionalCheckFailed {
                item: Some(item), ..
            } => Some(crate::hooks::Hooked::of::<M>().decode((**item).clone(), M::from_item)),
            _ => None,
        }
    }

    /// A cursor was not handed out by the read it was given to.
    pub fn is_invalid_cursor(&self) -> bool {
        matches!(self, Self::InvalidCursor { .. })
    }

    /// A table plan was refused or could not be carried out (see
    /// [`Error::TablePlan`]).
    pub fn is_table_plan(&self) -> bool {
        matches!(self, Self::TablePlan { .. })
    }

    /// The table does not exist.
    pub fn is_table_not_found(&self) -> bool {
        self.service_code() == Some("ResourceNotFoundException")
    }

    /// DynamoDB refused the request for going over the table's or the
    /// account's capacity: a throttled request, a batch that stopped
    /// retrying because of one, or a transaction with an action DynamoDB
    /// throttled. The SDK (and a batch, round by round) already retried
    /// with backoff, so use this to slow down or retry later, as a job that
    /// backs off or a request answered with "try again" (HTTP 429/503);
    /// retrying at once is likely to be throttled again.
    ///
    /// ```no_run
    /// # use dynamo_model::Model;
    /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
    /// # async fn demo(db: &dynamo_model::Client, user: User) -> dynamo_model::Result<()> {
    /// match User::save(db, &user).await {
    ///     Err(e) if e.is_throttled() => {
    ///         tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    ///         User::save(db, &user).await
    ///     }
    ///     other => other,
    /// }
    /// # }
    /// ```
    pub fn is_throttled(&self) -> bool {
        match self {
            Self::Service { code, .. } => code.as_deref().is_some_and(is_throttling_code),
            Self::BatchIncomplete { cause, .. } => cause.as_ref().is_some_and(|c| c.is_throttled()),
            Self::TransactionCanceled { reasons } => {
                reasons.iter().any(|r| r.code == "ThrottlingError")
            }
            _ => false,
        }
    }

    /// `CreateTable` found a table of that name already there (or still
    /// being created or deleted). Use it where creating the table is a step
    /// that may have run before, as in a setup or a test; to just ensure the
    /// table exists, `create_table(db).if_not_exists()` does it in one call.
    ///
    /// ```no_run
    /// # use dynamo_model::Model;
    /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
    /// # async fn demo(db: &dynamo_model::Client) -> dynamo_model::Result<()> {
    /// match User::create_table(db).await {
    ///     Err(e) if e.is_table_exists() => println!("users: already set up"),
    ///     other => other?,
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_table_exists(&self) -> bool {
        matches!(
            self,
            Self::Service { operation: "CreateTable", code: Some(code), .. }
                if code == "ResourceInUseException"
        )
    }

    /// The AWS error code of a service error, such as
    /// `ProvisionedThroughputExceededException`.
    pub fn service_code(&self) -> Option<&str> {
        match self {
            Self::Service { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// What kind of error this is, for spans and metrics: the AWS error code
    /// of a service error, else the variant's name.
    pub fn kind(&self) -> &str {
        match self {
            Self::Service { code, .. } => code.as_deref().unwrap_or("Service"),
            Self::AlreadyExists { .. } => "AlreadyExists",
            Self::ConditionalCheckFailed { .. } => "ConditionalCheckFailed",
            Self::VersionConflict { .. } => "VersionConflict",
            Self::Validation { .. } => "Validation",
            Self::Decode { .. } => "Decode",
            Self::NotInView { .. } => "NotInView",
            Self::Hook { .. } => "Hook",
            Self::InvalidValue { .. } => "InvalidValue",
            Self::InvalidExpression { .. } => "InvalidExpression",
            Self::NotFound { .. } => "NotFound",
            Self::TransactionCanceled { .. } => "TransactionCanceled",
            Self::BatchIncomplete { .. } => "BatchIncomplete",
            Self::ItemTooLarge { .. } => "ItemTooLarge",
            Self::InvalidCursor { .. } => "InvalidCursor",
            Self::Timeout { .. } => "Timeout",
            Self::TablePlan { .. } => "TablePlan",
            Self::Local(_) => "Local",
            Self::Config(_) => "Config",
        }
    }

    /// Wraps an attribute error raised while decoding `attribute` of `model`,
    /// in the item with `key` (rendered by `describe_key`), if known.
    pub(crate) fn decode(
        model: &'static str,
        attribute: &str,
        key: Option<String>,
        error: AttributeError,
    ) -> Self {
        Self::Decode {
            model,
            path: format!("{attribute}{}", error.inner_path),
            key,
            kind: error.kind,
        }
    }

    /// Wraps an attribute error raised while encoding `attribute` of `model`.
    /// Broken rules of a document inside the value become
    /// [`Error::Validation`].
    pub(crate) fn encode(model: &'static str, attribute: &str, error: AttributeError) -> Self {
        let mut failures = Vec::new();
        let error = match crate::rules::absorb(&mut failures, attribute, error) {
            Ok(()) => return Self::Validation { model, failures },
            Err(error) => error,
        };
        Self::InvalidValue {
            model,
            path: format!("{attribute}{}", error.inner_path),
            reason: error.kind.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::transaction::CancelReason;
    use aws_sdk_dynamodb::error::ErrorMetadata;
    use aws_sdk_dynamodb::operation::get_item::GetItemError;
    use std::error::Error as _;

    /// A service error of `operation` with the AWS error `code`.
    fn service(operation: &'static str, code: &str) -> Error {
        let metadata = ErrorMetadata::builder()
            .code(code)
            .message("refused")
            .build();
        Error::service(operation, "users", GetItemError::generic(metadata))
    }

    fn canceled(code: &str) -> Error {
        Error::TransactionCanceled {
            reasons: vec![CancelReason {
                index: 1,
                model: "User",
                table: "users".into(),
                key: "{id: \"u1\"}".into(),
                code: code.into(),
                message: None,
                item: None,
            }],
        }
    }

    fn batch_incomplete(cause: Option<Error>) -> Error {
        Error::BatchIncomplete {
            operation: "BatchWriteItem",
            unprocessed: Vec::new(),
            cause: cause.map(Box::new),
        }
    }

    #[test]
    fn batch_incomplete_has_its_cause_as_source() {
        let error = batch_incomplete(Some(service("BatchWriteItem", "ThrottlingException")));
        let source = error.source().expect("the cause is the source");
        assert_eq!(
            source.to_string(),
            "BatchWriteItem on table `users` failed with ThrottlingException: refused"
        );
        let cause = source
            .downcast_ref::<Box<Error>>()
            .expect("the cause itself");
        assert_eq!(cause.service_code(), Some("ThrottlingException"));
        assert!(batch_incomplete(None).source().is_none());
    }

    #[test]
    fn debug_of_a_service_error_is_a_summary_and_the_rest_as_derived() {
        let debug = format!("{:?}", service("GetItem", "ThrottlingException"));
        assert!(
            debug.starts_with(
                "Service { operation: \"GetItem\", table: \"users\", \
                 code: Some(\"ThrottlingException\"), message: \"refused\", source: \""
            ),
            "{debug}"
        );
        // The SDK error as one line of text, not its raw fields.
        assert!(
            !debug.contains('\n') && !debug.contains("ErrorMetadata"),
            "{debug}"
        );
        assert_eq!(
            format!("{:?}", Error::Config("no region".into())),
            "Config(\"no region\")"
        );
        assert_eq!(
            format!(
                "{:?}",
                Error::NotFound {
                    model: "User",
                    key: "{id: \"u1\"}".into()
                }
            ),
            r#"NotFound { model: "User", key: "{id: \"u1\"}" }"#
        );
        let batch = batch_incomplete(Some(service("BatchWriteItem", "ThrottlingException")));
        let debug = format!("{batch:?}");
        assert!(
            debug.starts_with(
                "BatchIncomplete { operation: \"BatchWriteItem\", unprocessed: [], \
                 cause: Some(Service { operation: \"BatchWriteItem\""
            ),
            "{debug}"
        );
    }

    #[test]
    fn throttling_is_recognized_wherever_it_is_reported() {
        for code in [
            "ProvisionedThroughputExceededException",
            "ThrottlingException",
            "RequestLimitExceeded",
        ] {
            assert!(service("PutItem", code).is_throttled(), "{code}");
        }
        assert!(!service("PutItem", "ResourceNotFoundException").is_throttled());
        assert!(!service("PutItem", "InternalServerError").is_throttled());

        let throttled_batch =
            batch_incomplete(Some(service("BatchWriteItem", "ThrottlingException")));
        assert!(throttled_batch.is_throttled());
        assert!(!batch_incomplete(None).is_throttled());
        assert!(
            !batch_incomplete(Some(service("BatchWriteItem", "ValidationException")))
                .is_throttled()
        );

        assert!(canceled("ThrottlingError").is_throttled());
        assert!(!canceled("ConditionalCheckFailed").is_throttled());
        assert!(!Error::Config("x".into()).is_throttled());
    }

    #[test]
    fn table_exists_is_resource_in_use_from_create_table() {
        assert!(service("CreateTable", "ResourceInUseException").is_table_exists());
        // Deleting a table that is being created is also "in use", but is
        // not about the table existing.
        assert!(!service("DeleteTable", "ResourceInUseException").is_table_exists());
        assert!(!service("CreateTable", "LimitExceededException").is_table_exists());
        assert!(!Error::Config("x".into()).is_table_exists());
    }
}
