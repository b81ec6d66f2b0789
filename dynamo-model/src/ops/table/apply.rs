//! Carrying a table plan out: [`ApplyPlan`] and, for apps,
//! [`Model::sync_table`](crate::Model::sync_table).
//!
//! Each step is chosen afresh from the table as it is: wait until the table
//! and its indexes are ACTIVE, read it, compare it with the model, make the
//! first change still needed, repeat until none is left. DynamoDB takes one
//! index change at a time and this is the order it needs; and an apply that
//! was interrupted anywhere (even killed mid-step) converges when run again,
//! with no step made twice, because a step made shows in the table.

use super::plan::{Diff, TableChange, TablePlan};
use super::spec::{self, Billing, TableSpec};
use super::state::TableState;
use crate::client::Client;
use crate::model::Model;
use crate::ops::builder::into_future;
use crate::schema::StreamView;
use crate::{Error, Result};
use aws_sdk_dynamodb::types::{
    CreateGlobalSecondaryIndexAction, DeleteGlobalSecondaryIndexAction, GlobalSecondaryIndexUpdate,
    UpdateGlobalSecondaryIndexAction,
};
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

/// How long to wait, before each step, for the table to settle: adding an
/// index to a large table backfills it first.
const DEFAULT_STEP_WAIT: Duration = Duration::from_secs(30 * 60);

/// What an apply or a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Applied {
    /// The changes made, in order (a change DynamoDB makes in two requests,
    /// like switching a stream's view, is listed once per request).
    pub done: Vec<TableChange>,
    /// Destructive changes a sync left alone.
    pub skipped: Vec<TableChange>,
    /// Settings that could not be compared (see [`TablePlan::unverified`]).
    pub unverified: Vec<String>,
}

impl fmt::Display for Applied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.done.is_empty() {
            writeln!(f, "nothing to change")?;
        }
        for change in &self.done {
            writeln!(f, "  done: {change}")?;
        }
        for change in &self.skipped {
            writeln!(f, "  skipped (destructive): {change}")?;
        }
        for unverified in &self.unverified {
            writeln!(f, "  not verified: {unverified}")?;
        }
        Ok(())
    }
}

/// Carries a [`TablePlan`] out: [`TablePlan::apply`].
///
/// Refuses before changing anything when the plan has conflicts, or
/// destructive changes without [`allow_destructive`](Self::allow_destructive)
/// (the error names them). A destructive change that appears only while
/// applying (someone else changed the table) is refused the same way.
#[must_use = "a builder does nothing until awaited"]
pub struct ApplyPlan<'a> {
    client: &'a Client,
    plan: &'a TablePlan,
    allow_destructive: bool,
    timeout: Duration,
}

impl<'a> ApplyPlan<'a> {
    pub(super) fn new(client: &'a Client, plan: &'a TablePlan) -> Self {
        Self {
            client,
            plan,
            allow_destructive: false,
            timeout: DEFAULT_STEP_WAIT,
        }
    }

    /// Make the destructive changes too (see [`TableChange::is_destructive`]).
    pub fn allow_destructive(mut self) -> Self {
        self.allow_destructive = true;
        self
    }

    /// How long to wait before each step for the table and its indexes to
    /// be ACTIVE (default 30 minutes) before failing with [`Error::Timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Applies the plan.
    pub async fn send(self) -> Result<Applied> {
        let plan = self.plan;
        let refuse = |reason: String| Error::TablePlan {
            model: plan.model,
            table: plan.table.clone(),
            reason,
        };
        if let Some(conflict) = plan.conflicts().first() {
            return Err(refuse(conflict.clone()));
        }
        let destructive: Vec<String> = plan.destructive().map(ToString::to_string).collect();
        if !destructive.is_empty() && !self.allow_destructive {
            return Err(refuse(refusal(&destructive)));
        }
        let mode = if self.allow_destructive {
            Destructive::Make
        } else {
            Destructive::Refuse
        };
        Converge {
            client: self.client,
            model: plan.model,
            table: &plan.table,
            spec: &plan.spec,
            drop_unknown: plan.drop_unknown,
            destructive: mode,
            timeout: self.timeout,
        }
        .run()
        .await
    }
}
into_future!(<> ApplyPlan<'a> => Applied);

/// Creates the model's table if it is missing, else makes the plan's
/// non-destructive changes and leaves the rest (returned as
/// [`Applied::skipped`]): [`Model::sync_table`](crate::Model::sync_table).
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let applied = User::sync_table(db).await?;
/// println!("{applied}");
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct SyncTable<'a, M: Model> {
    client: &'a Client,
    spec: TableSpec,
    timeout: Duration,
    model: PhantomData<M>,
}

impl<'a, M: Model> SyncTable<'a, M> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            spec: TableSpec::new(M::SCHEMA),
            timeout: DEFAULT_STEP_WAIT,
            model: PhantomData,
        }
    }

    /// How long to wait before each step (see [`ApplyPlan::timeout`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Creates or updates the table.
    pub async fn send(self) -> Result<Applied> {
        let table = self.client.table_name::<M>();
        Converge {
            client: self.client,
            model: M::SCHEMA.model,
            table: &table,
            spec: &self.spec,
            drop_unknown: false,
            destructive: Destructive::Skip,
            timeout: self.timeout,
        }
        .run()
        .await
    }
}
into_future!(SyncTable<'a, M> => Applied);
super::spec::spec_options!(SyncTable);

/// What to do with a destructive change.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Destructive {
    Make,
    Refuse,
    Skip,
}

/// The apply loop (see the module docs).
struct Converge<'a> {
    client: &'a Client,
    model: &'static str,
    table: &'a str,
    spec: &'a TableSpec,
    drop_unknown: bool,
    destructive: Destructive,
    timeout: Duration,
}

impl Converge<'_> {
    async fn run(self) -> Result<Applied> {
        let mut applied = Applied::default();
        loop {
            let (state, diff) = self.settled().await?;
            if let Some(conflict) = diff.conflicts.first() {
                return Err(self.refuse(conflict.clone()));
            }
            applied.unverified = diff.unverified;
            // Tags are eventually consistent: ListTagsOfResource may not
            // show them right after TagResource, so they are set once.
            let tagged = applied
                .done
                .iter()
                .any(|c| matches!(c, TableChange::Tags { .. }));
            let (destructive, allowed): (Vec<_>, Vec<_>) = diff
                .changes
                .into_iter()
                .filter(|c| !(tagged && matches!(c, TableChange::Tags { .. })))
                .partition(|c| c.is_destructive() && self.destructive != Destructive::Make);
            if self.destructive == Destructive::Refuse && !destructive.is_empty() {
                let steps: Vec<String> = destructive.iter().map(ToString::to_string).collect();
                return Err(self.refuse(format!(
                    "the table changed while applying: {}",
                    refusal(&steps)
                )));
            }
            let Some(change) = allowed.into_iter().next() else {
                applied.skipped = destructive;
                return Ok(applied);
            };
            if applied.done.last() == Some(&change) {
                return Err(self.refuse(format!(
                    "DynamoDB accepted the change \"{change}\" but the table does not show it; \
                     check the table in the console"
                )));
            }
            self.make(&change, state.as_ref()).await?;
            applied.done.push(change);
        }
    }

    /// Waits (polling with backoff) until DynamoDB takes the next change:
    /// the table and its global indexes ACTIVE and, for a TTL change, TTL
    /// not in the middle of one. Returns the table and what differs.
    async fn settled(&self) -> Result<(Option<TableState>, Diff)> {
        let start = Instant::now();
        let mut delay = Duration::from_millis(50);
        loop {
            let state = TableState::read(self.client, self.table).await?;
            let diff = Diff::new(self.spec, state.as_ref(), self.drop_unknown);
            let ready = state.as_ref().is_none_or(|state| {
                state.settled()
                    && !(state.ttl_changing
                        && diff
                            .changes
                            .iter()
                            .any(|c| matches!(c, TableChange::Ttl { .. })))
            });
            if ready {
                return Ok((state, diff));
            }
            if start.elapsed() >= self.timeout {
                return Err(Error::Timeout {
                    table: self.table.to_owned(),
                    state: "ready for the next change (table and indexes ACTIVE)",
                    waited: start.elapsed(),
                });
            }
            tokio::time::sleep(delay.min(self.timeout.saturating_sub(start.elapsed()))).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        }
    }

    fn refuse(&self, reason: String) -> Error {
        Error::TablePlan {
            model: self.model,
            table: self.table.to_owned(),
            reason,
        }
    }

    /// Sends the request(s) of one change.
    async fn make(&self, change: &TableChange, state: Option<&TableState>) -> Result<()> {
        let (client, table, spec) = (self.client, self.table, self.spec);
        let update = || client.sdk().update_table().table_name(table);
        let index = |name: &str| spec.global_indexes().find(|i| i.name == name);
        let sent = match change {
            TableChange::CreateTable => {
                return match spec.create_request(client, table).send().await {
                    Ok(_) => Ok(()),
                    // Someone else created it meanwhile: the next round compares it.
                    Err(e)
                        if e.as_service_error()
                            .is_some_and(|e| e.is_resource_in_use_exception()) =>
                    {
                        Ok(())
                    }
                    Err(e) => Err(Error::service("CreateTable", table, e)),
                };
            }
            TableChange::AddIndex { name } => {
                let Some(index) = index(name) else {
                    return Ok(());
                };
                let action = CreateGlobalSecondaryIndexAction::builder()
                    .index_name(index.name)
                    .set_key_schema(Some(spec::key_schema(index.key_attributes())))
                    .projection(spec::projection(&index.projection))
                    .set_provisioned_throughput(spec.index_throughput(index).map(spec::provisioned))
                    .build()
                    .expect("name, key schema and projection are set");
                update()
                    .set_attribute_definitions(Some(spec::attribute_definitions(
                        index.key_attributes(),
                    )))
                    .global_secondary_index_updates(
                        GlobalSecondaryIndexUpdate::builder().create(action).build(),
                    )
                    .send()
                    .await
            }
            TableChange::ReplaceIndex { name, .. } | TableChange::DropIndex { name } => {
                let action = DeleteGlobalSecondaryIndexAction::builder()
                    .index_name(name)
                    .build()
                    .expect("name is set");
                update()
                    .global_secondary_index_updates(
                        GlobalSecondaryIndexUpdate::builder().delete(action).build(),
                    )
                    .send()
                    .await
            }
            TableChange::Billing { from, to } => {
                let mut request = update();
                match to {
                    Billing::OnDemand => {
                        request = request
                            .billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
                    }
                    Billing::Provisioned(throughput) => {
                        request = request
                            .billing_mode(aws_sdk_dynamodb::types::BillingMode::Provisioned)
                            .provisioned_throughput(spec::provisioned(*throughput));
                        // Switching to provisioned needs every index's capacity in the same request.
                        if *from == Billing::OnDemand {
                            for found in state.map(|s| s.global.as_slice()).unwrap_or_default() {
                                let capacity = index(&found.name)
                                    .and_then(|i| spec.index_throughput(i))
                                    .unwrap_or(*throughput);
                                request = request.global_secondary_index_updates(index_capacity(
                                    &found.name,
                                    capacity,
                                ));
                            }
                        }
                    }
                }
                request.send().await
            }
            TableChange::IndexThroughput { name, to, .. } => {
                update()
                    .global_secondary_index_updates(index_capacity(name, *to))
                    .send()
                    .await
            }
            TableChange::Stream { from, to } => {
                // A stream changes view by being turned off, then on again.
                let next: Option<StreamView> = if from.is_some() { None } else { *to };
                update()
                    .stream_specification(spec::stream(next))
                    .send()
                    .await
            }
            TableChange::TableClass { to, .. } => update().table_class(to.to_sdk()).send().await,
            TableChange::DeletionProtection => {
                update().deletion_protection_enabled(true).send().await
            }
            TableChange::Tags { set } => {
                let arn = state.map(|s| s.arn.as_str()).unwrap_or_default();
                return client
                    .sdk()
                    .tag_resource()
                    .resource_arn(arn)
                    .set_tags(Some(set.iter().map(|(k, v)| spec::tag(k, v)).collect()))
                    .send()
                    .await
                    .map(drop)
                    .map_err(|e| Error::service("TagResource", table, e));
            }
            TableChange::Ttl { from, to } => {
                // TTL moves to another attribute by being turned off, then on.
                let (attribute, enabled) = match (from, to) {
                    (Some(from), _) => (from, false),
                    (None, Some(to)) => (to, true),
                    (None, None) => return Ok(()),
                };
                return super::update_ttl(client, table, attribute, enabled).await;
            }
        };
        sent.map(drop)
            .map_err(|e| Error::service("UpdateTable", table, e))
    }
}

fn index_capacity(name: &str, capacity: crate::schema::Throughput) -> GlobalSecondaryIndexUpdate {
    let action = UpdateGlobalSecondaryIndexAction::builder()
        .index_name(name)
        .provisioned_throughput(spec::provisioned(capacity))
        .build()
        .expect("name and throughput are set");
    GlobalSecondaryIndexUpdate::builder().update(action).build()
}

fn refusal(steps: &[String]) -> String {
    format!(
        "destructive changes need .allow_destructive(): {}; nothing was changed by this step",
        steps.join("; ")
    )
}
