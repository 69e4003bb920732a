// Package identity holds the personal and organisational identifiers of Chinese
// governance records and keeps personal ones from leaking into output.
//
// A resident identity number (居民身份证号码, GB 11643) has 18 characters: a 6-digit
// administrative area code, an 8-digit birth date, a 3-digit sequence number (odd for
// men, even for women) and a check character computed with ISO 7064 MOD 11-2 (weights
// 2^(17−i) mod 11, check characters "10X98765432"). A mobile or landline telephone number
// (手机号码, 固定电话) identifies a person just as well. Both are personal information
// under the Personal Information Protection Law (个人信息保护法): [ResidentID] and [Phone]
// validate on parse and mask themselves everywhere they can be printed — String, every
// fmt verb including %#v and %+v, JSON, text encoding and [log/slog] — so that a case
// record or a log line carries "320104********123X" or "138****5678". The full value is
// available only through Reveal, which makes every disclosure visible in code review.
//
// In memory the digits are held encrypted under a key drawn from crypto/rand when the
// process starts (AES-128; the key is never printed, encoded or stored), so even
// reflection-based printing of a value in an unexported struct field, which bypasses
// Format (fmt's %v of a struct holding a person, testify's diffs), shows two integers
// that cannot be turned back into the number without that process's key. Equality is
// unaffected within a process: equal numbers have equal values, so ==, Equal, go-cmp and
// map keys work; the values have no meaningful order and are meaningless in any other
// process, which is why no encoding ever writes them.
//
// What protects stored documents: nothing in this package. A storage form that keeps
// the full number (see below) writes it in clear; protecting it at rest — disk or
// database encryption, access control, retention — is the embedder's job.
//
// Because encoding masks, a value marshalled to JSON cannot be decoded back. An
// aggregate that must persist the full number keeps Reveal() in a plain string field and
// masks that field in its own String, Format, LogValue and log-oriented marshalling;
// decoding (UnmarshalJSON, UnmarshalText) accepts and validates the full value, so
// configuration files can carry numbers in.
//
// A unified social credit code (统一社会信用代码, GB 32100-2015) identifies an
// organisation: 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" — the registration
// department (登记管理部门: 1 机构编制, 5 民政, 9 工商, Y 其他), the organisation type
// (机构类别) defined for that department, the registering authority's 6-digit division
// code, the 9-character organisation code (组织机构代码, GB 11714, with its own mod-11
// check character) and a check character computed with weights 3^i mod 31. It is public
// information, so [CreditCode] is a plain string type that prints in full;
// [ParseCreditCode] and its UnmarshalText check every part of that structure.
//
// All types here are immutable values, safe for concurrent use.
package identity
