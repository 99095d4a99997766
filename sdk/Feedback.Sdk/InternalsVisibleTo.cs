using System.Runtime.CompilerServices;

// Unit tests reach the privacy internals (EventPrivacy, the Luhn check) directly.
[assembly: InternalsVisibleTo("Feedback.Tests")]
