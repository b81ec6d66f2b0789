//! Errors from the SDK: how a failed request becomes [`Error::Service`],
//! the [`ServiceSource`] it keeps, and which AWS codes mean throttling.

use super::Error;
use std::fmt;

impl Error {
    /// Wraps an SDK error with the operation and table it came from.
    pub(crate) fn service<E>(operation: &'static str, table: &str, error: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
        E: aws_sdk_dynamodb::error::ProvideErrorMetadata,
    {
        let code = error.code().map(str::to_owned);
        let message = match error.message() {
            Some(message) => message.to_owned(),
            None => DisplayChain(&error).to_string(),
        };
        Self::Service {
            operation,
            table: table.to_owned(),
            code,
            message,
            source: ServiceSource(Box::new(error)),
        }
    }
}

/// The SDK error an [`Error::Service`] came from. Its `Debug` is the error
/// and its sources as one line of text, because the SDK error's own `Debug`
/// holds the whole raw HTTP response.
pub struct ServiceSource(Box<dyn std::error::Error + Send + Sync>);

impl ServiceSource {
    /// The SDK error, to downcast to the operation's error type
    /// (`SdkError<GetItemError, HttpResponse>`, ...).
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }

    /// The SDK error, owned.
    pub fn into_inner(self) -> Box<dyn std::error::Error + Send + Sync> {
        self.0
    }
}

impl fmt::Debug for ServiceSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", DisplayChain(&*self.0).to_string())
    }
}

impl fmt::Display for ServiceSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for ServiceSource {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// Whether `code` is one of the AWS error codes of a throttled request.
pub(crate) fn is_throttling_code(code: &str) -> bool {
    matches!(
        code,
        "ProvisionedThroughputExceededException" | "ThrottlingException" | "RequestLimitExceeded"
    )
}

/// Renders an error with its sources, for transport errors whose top-level
/// message alone ("dispatch failure") says nothing. A source that says the
/// same as the error it is the source of (as SDK service errors do) is left
/// out.
struct DisplayChain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for DisplayChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut said = self.0.to_string();
        f.write_str(&said)?;
        let mut source = self.0.source();
        while let Some(error) = source {
            let text = error.to_string();
            if text != said {
                write!(f, ": {text}")?;
            }
            said = text;
            source = error.source();
        }
        Ok(())
    }
}
