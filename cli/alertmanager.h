// --alertmanager URL: findings as alerts to Alertmanager's v2 API
// (POST /api/v2/alerts), with retries, and a spool directory that keeps
// what could not be delivered until a later run sends it.
#ifndef GOTRIAGE_CLI_ALERTMANAGER_H_
#define GOTRIAGE_CLI_ALERTMANAGER_H_

#include <ostream>
#include <string>
#include <vector>

#include "parsers/model.h"
#include "rules/finding.h"

namespace gotriage {

struct AlertmanagerOptions {
  std::string url;    ///< http://HOST:PORT[/PATH-PREFIX]
  std::string spool;  ///< directory; empty: DefaultSpoolDir()
  int attempts = 4;   ///< per batch, with backoff 0.5 s, 1 s, 2 s
  int timeout_ms = 5000;
  /// How long an alert stays firing without being re-sent (its endsAt).
  int alert_seconds = 3600;
};

/// $XDG_STATE_HOME/gotriage/spool, else $HOME/.local/state/gotriage/spool,
/// else /var/lib/gotriage/spool.
std::string DefaultSpoolDir();

/// Checks the URL's form (http://host[:port][/prefix]). False with \a err.
bool ValidAlertmanagerUrl(const std::string& url, std::string* err);

/// The Alertmanager v2 alerts (a JSON array) for \a findings.
std::string AlertsJson(const ParsedInput& in, const std::vector<Finding>& findings,
                       const AlertmanagerOptions& opts, long long now_epoch);

enum class DeliveryResult { kSent, kSpooled, kFailed };

/// Sends what earlier runs spooled, oldest first, then \a findings (when
/// any). What cannot be sent is spooled (\a err says where); kFailed only
/// when it could not even be spooled.
DeliveryResult DeliverAlerts(const ParsedInput& in, const std::vector<Finding>& findings,
                             const AlertmanagerOptions& opts, std::ostream& err);

}  // namespace gotriage

#endif  // GOTRIAGE_CLI_ALERTMANAGER_H_
