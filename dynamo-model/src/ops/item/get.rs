//! Reading one item by key.

use crate::client::Client;
use crate::expr::{render_projection, Placeholders, Projection};
use crate::hooks::{skip_hooks, Hooked};
use crate::model::Model;
use crate::ops::builder::{customize, into_future, into_sdk, send, Customize};
use crate::ops::{expired, hidden_ttl};
use crate::Result;
use aws_sdk_dynamodb::operation::get_item::builders::GetItemFluentBuilder;
use std::marker::PhantomData;

/// Reads one item by key: [`Model::get`]. Reads the whole model, or with
/// [`project`](Self::project) only the attributes of a partial type.
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let user: Option<User> = User::get(db, "u1").consistent(true).await?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until awaited"]
pub struct Get<'a, M: Model, P = M> {
    client: &'a Client,
    key: M::Key,
    consistent: bool,
    hooks: Hooked,
    customize: Customize<'a, GetItemFluentBuilder>,
    output: PhantomData<fn() -> P>,
}

impl<'a, M: Model> Get<'a, M> {
    pub(crate) fn new(client: &'a Client, key: M::Key) -> Self {
        Self {
            client,
            key,
            consistent: false,
            hooks: Hooked::of::<M>(),
            customize: Customize::default(),
            output: PhantomData,
        }
    }

    /// Read only the attributes of `P` and decode into it (see
    /// [`Projection`]).
    pub fn project<P: Projection>(self) -> Get<'a, M, P> {
        Get {
            client: self.client,
            key: self.key,
            consistent: self.consistent,
            hooks: self.hooks,
            customize: self.customize,
            output: PhantomData,
        }
    }
}

impl<'a, M: Model, P: Projection> Get<'a, M, P> {
    /// Strongly consistent read (twice the read cost; not on global indexes).
    pub fn consistent(mut self, consistent: bool) -> Self {
        self.consistent = consistent;
        self
    }

    skip_hooks!();

    customize! {
        /// Adjusts the GetItem request before it is sent, for what dynamo-model
        /// does not cover; the result is still decoded into `P`, and a failure
        /// is still an [`Error`](crate::Error) naming `GetItem`. Given twice,
        /// both changes apply, in order.
        ///
        /// ```no_run
        /// # use dynamo_model::{Client, Model};
        /// use dynamo_model::aws_sdk_dynamodb::types::ReturnConsumedCapacity;
        /// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
        /// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
        /// let user: Option<User> = User::get(db, "u1")
        ///     .customize(|req| req.return_consumed_capacity(ReturnConsumedCapacity::Total))
        ///     .await?;
        /// # Ok(()) }
        /// ```
        once 'a, GetItemFluentBuilder
    }

    into_sdk!(GetItemFluentBuilder);

    /// The request, without the builder's customization.
    fn request(self) -> Result<GetItemFluentBuilder> {
        let request = self
            .client
            .sdk()
            .get_item()
            .table_name(self.client.table_name::<M>())
            .set_key(Some(self.hooks.key_of::<M>(&self.key)?))
            .consistent_read(self.consistent);
        if std::any::TypeId::of::<P>() == std::any::TypeId::of::<M>() {
            return Ok(request); // the whole item
        }
        let mut placeholders = Placeholders::new();
        // The TTL too, when expired items are hidden, to tell them (once:
        // DynamoDB refuses a projection naming an attribute twice).
        let mut names = P::ATTRIBUTES.to_vec();
        if let Some(ttl) = hidden_ttl::<M>().filter(|ttl| !names.contains(ttl)) {
            names.push(ttl);
        }
        let projection = render_projection(&names, &mut placeholders);
        let (names, _) = placeholders.into_maps();
        Ok(request
            .projection_expression(projection)
            .set_expression_attribute_names(names))
    }

    crate::ops::builder::send_as_call! {
        /// Sends the request: the item, or `None` if there is none.
        Option<P>, crate::observe::CallInfo::of::<M>("get")
    }

    /// The operation itself, run as one call by `send`.
    async fn run(self) -> Result<Option<P>> {
        let hooks = self.hooks;
        let output = send(self.into_sdk()?).await?;
        output
            .item
            .filter(|item| !expired::<M>(item))
            .map(|item| hooks.decode(item, P::from_projected))
            .transpose()
    }
}
into_future!(Get<'a, M, P> => Option<P>, where P: Projection + Send + 'a);
