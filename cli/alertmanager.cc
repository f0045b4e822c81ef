// Alertmanager delivery; see alertmanager.h.
//
// HTTP is a minimal HTTP/1.1 POST over a socket (Connection: close, a
// Content-Length body, the status line read back), not libcurl: that is all
// the v2 API needs, and it keeps the portable static build
// (cmake/Static.cmake) free of libcurl's TLS, HTTP/2 and Kerberos archives.
// The cost: http:// only. Alertmanager is normally reached in-cluster over
// plain HTTP; for TLS, point --alertmanager at a local proxy.
#include "cli/alertmanager.h"

#include <dirent.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/chars.h"
#include "cli/escape.h"

namespace gotriage {

namespace {

using nlohmann::json;

struct Url {
  std::string host, port = "80", prefix;
};

bool ParseUrl(const std::string& url, Url* u, std::string* err) {
  const std::string scheme = "http://";
  if (url.rfind("https://", 0) == 0) {
    *err = "--alertmanager: https is not supported (plain http only; use a local TLS proxy)";
    return false;
  }
  if (url.rfind(scheme, 0) != 0) {
    *err = "--alertmanager: the URL must start with http://";
    return false;
  }
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  u->prefix = slash == std::string::npos ? "" : rest.substr(slash);
  while (!u->prefix.empty() && u->prefix.back() == '/') u->prefix.pop_back();
  if (hostport.empty() || hostport.find('@') != std::string::npos) {
    *err = "--alertmanager: no host in the URL (credentials in URLs are not supported)";
    return false;
  }
  size_t colon = hostport.rfind(':');
  if (hostport[0] == '[') {  // [v6]:port
    size_t close = hostport.find(']');
    if (close == std::string::npos) {
      *err = "--alertmanager: bad IPv6 address";
      return false;
    }
    u->host = hostport.substr(1, close - 1);
    if (close + 1 < hostport.size() && hostport[close + 1] == ':')
      u->port = hostport.substr(close + 2);
  } else if (colon != std::string::npos) {
    u->host = hostport.substr(0, colon);
    u->port = hostport.substr(colon + 1);
  } else {
    u->host = hostport;
  }
  if (u->port.empty() || u->port.size() > 5 ||
      !std::all_of(u->port.begin(), u->port.end(), IsDigit)) {
    *err = "--alertmanager: bad port in the URL";
    return false;
  }
  for (char c : u->prefix + u->host)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      *err = "--alertmanager: the URL holds spaces or control characters";
      return false;
    }
  return true;
}

std::string Rfc3339(long long t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm;
  gmtime_r(&tt, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// One POST; true on a 2xx answer. \a why says what went wrong otherwise.
bool Post(const Url& u, const std::string& body, int timeout_ms, std::string* why) {
  struct addrinfo hints = {}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  if (int rc = getaddrinfo(u.host.c_str(), u.port.c_str(), &hints, &res); rc != 0) {
    *why = std::string("cannot resolve ") + u.host + ": " + gai_strerror(rc);
    return false;
  }
  int fd = -1;
  std::string last = "no address";
  for (struct addrinfo* a = res; a; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // bounds connect() too
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    last = std::strerror(errno);
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) {
    *why = "cannot connect to " + u.host + ":" + u.port + ": " + last;
    return false;
  }
  std::string req = "POST " + u.prefix + "/api/v2/alerts HTTP/1.1\r\nHost: " + u.host + ":" +
                    u.port + "\r\nUser-Agent: gotriage\r\nContent-Type: application/json\r\n" +
                    "Content-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n\r\n" + body;
  size_t off = 0;
  while (off < req.size()) {
    ssize_t n = send(fd, req.data() + off, req.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *why = std::string("sending: ") + std::strerror(errno);
      close(fd);
      return false;
    }
    off += static_cast<size_t>(n);
  }
  std::string resp;
  char buf[4096];
  while (resp.size() < 65536) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    resp.append(buf, static_cast<size_t>(n));
    if (resp.find("\r\n") != std::string::npos && resp.rfind("HTTP/1.", 0) == 0 &&
        resp.size() >= 12 && resp.find("\r\n\r\n") != std::string::npos)
      break;  // the status line and headers are all we need
  }
  close(fd);
  // "HTTP/1.1 200 OK"
  if (resp.size() < 12 || resp.rfind("HTTP/1.", 0) != 0) {
    *why = "no HTTP answer from " + u.host + ":" + u.port;
    return false;
  }
  int code = std::atoi(resp.substr(9, 3).c_str());
  if (code >= 200 && code < 300) return true;
  std::string line = resp.substr(0, resp.find("\r\n"));
  size_t body_at = resp.find("\r\n\r\n");
  std::string detail = body_at == std::string::npos ? "" : resp.substr(body_at + 4, 200);
  *why = "Alertmanager answered " + line + (detail.empty() ? "" : ": " + detail);
  return false;
}

// Posts with retries and backoff (0.5 s, 1 s, 2 s, ...).
bool PostWithRetries(const Url& u, const std::string& body, const AlertmanagerOptions& o,
                     std::string* why) {
  int delay_ms = 500;
  for (int i = 0; i < std::max(1, o.attempts); ++i) {
    if (i > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      delay_ms = std::min(delay_ms * 2, 8000);
    }
    if (Post(u, body, o.timeout_ms, why)) return true;
  }
  return false;
}

bool MakeDirs(const std::string& dir) {
  std::string cur;
  std::stringstream ss(dir);
  std::string part;
  if (!dir.empty() && dir[0] == '/') cur = "/";
  while (std::getline(ss, part, '/')) {
    if (part.empty()) continue;
    cur += part + "/";
    if (mkdir(cur.c_str(), 0700) != 0 && errno != EEXIST) return false;
  }
  return true;
}

bool Spool(const std::string& dir, const std::string& body, std::string* path, std::string* err) {
  if (!MakeDirs(dir)) {
    *err = "cannot create spool directory " + dir + ": " + std::strerror(errno);
    return false;
  }
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  char name[96];
  snprintf(name, sizeof name, "alerts-%020lld-%d.json", static_cast<long long>(ns),
           static_cast<int>(getpid()));
  *path = dir + "/" + name;
  std::string tmp = *path + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    *err = "cannot write " + tmp + ": " + std::strerror(errno);
    return false;
  }
  size_t off = 0;
  bool ok = true;
  while (off < body.size()) {
    ssize_t n = write(fd, body.data() + off, body.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    off += static_cast<size_t>(n);
  }
  ok = ok && fsync(fd) == 0;
  close(fd);
  if (!ok || rename(tmp.c_str(), path->c_str()) != 0) {
    *err = "cannot write " + *path + ": " + std::strerror(errno);
    unlink(tmp.c_str());
    return false;
  }
  return true;
}

std::vector<std::string> SpooledFiles(const std::string& dir) {
  std::vector<std::string> files;
  DIR* d = opendir(dir.c_str());
  if (!d) return files;
  while (struct dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.rfind("alerts-", 0) == 0 && n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0)
      files.push_back(n);
  }
  closedir(d);
  std::sort(files.begin(), files.end());  // zero-padded time: oldest first
  return files;
}

}  // namespace

std::string DefaultSpoolDir() {
  const char* xdg = std::getenv("XDG_STATE_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/gotriage/spool";
  const char* home = std::getenv("HOME");
  if (home && *home == '/' && geteuid() != 0) return std::string(home) + "/.local/state/gotriage/spool";
  return "/var/lib/gotriage/spool";
}

bool ValidAlertmanagerUrl(const std::string& url, std::string* err) {
  Url u;
  return ParseUrl(url, &u, err);
}

std::string AlertsJson(const ParsedInput& in, const std::vector<Finding>& findings,
                       const AlertmanagerOptions& opts, long long now) {
  json alerts = json::array();
  for (const Finding& f : findings) {
    json labels = {{"alertname", f.rule_id},
                   {"category", f.category},
                   {"severity", SeverityName(f.severity)},
                   {"fingerprint", f.fingerprint}};
    // The finding's pod (a crash's from its `kubectl logs --prefix` tag or
    // log path, a pod state finding's from the pod object): the labels
    // Alertmanager groups, silences and routes on.
    if (!f.pod_ref.namespace_.empty()) labels["namespace"] = f.pod_ref.namespace_;
    if (!f.pod_ref.name.empty()) labels["pod"] = f.pod_ref.name;
    if (!f.pod_ref.container.empty()) labels["container"] = f.pod_ref.container;
    if (!f.pod_ref.node.empty()) labels["node"] = f.pod_ref.node;
    std::string description = f.summary;
    if (f.culprit) {
      description += "\nculprit: " + f.culprit->function;
      if (!f.culprit->file.empty())
        description += " (" + f.culprit->file + ":" + std::to_string(f.culprit->line) + ")";
    }
    for (const std::string& d : f.evidence.details) description += "\nevidence: " + d;
    if (f.occurrences > 1) description += "\noccurrences: " + std::to_string(f.occurrences);
    if (f.pods.size() > 1) description += "\nwhere: " + FindingPodsText(f);
    std::string remediation;
    for (size_t i = 0; i < f.remediation.steps.size(); ++i)
      remediation += (i ? "\n" : "") + std::to_string(i + 1) + ". " + f.remediation.steps[i];
    json a = {{"labels", labels},
              {"annotations",
               {{"summary", f.title},
                {"description", description},
                {"remediation", remediation},
                {"runbook", "gotriage --explain " + f.rule_id + " (docs/rules.md#" +
                                [&] {
                                  std::string id = f.rule_id;
                                  for (char& ch : id) ch = static_cast<char>(std::tolower(ch));
                                  return id;
                                }() +
                                ")"}}},
              {"startsAt", Rfc3339(now)},
              {"endsAt", Rfc3339(now + opts.alert_seconds)}};
    alerts.push_back(std::move(a));
  }
  // Invalid UTF-8 from the input is replaced, never a reason to fail.
  return alerts.dump(-1, ' ', false, json::error_handler_t::replace);
}

DeliveryResult DeliverAlerts(const ParsedInput& in, const std::vector<Finding>& findings,
                             const AlertmanagerOptions& opts, std::ostream& err) {
  Url u;
  std::string e;
  if (!ParseUrl(opts.url, &u, &e)) {
    err << "gotriage: " << EscapeForTerminal(e) << "\n";
    return DeliveryResult::kFailed;
  }
  std::string dir = opts.spool.empty() ? DefaultSpoolDir() : opts.spool;
  bool down = false;
  std::string why;
  // What earlier runs could not deliver goes first, in order.
  for (const std::string& name : SpooledFiles(dir)) {
    std::string path = dir + "/" + name;
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    if (!f.good() && !f.eof()) continue;
    if (!PostWithRetries(u, ss.str(), opts, &why)) {
      down = true;
      break;
    }
    unlink(path.c_str());
    err << "gotriage: --alertmanager: sent spooled " << EscapeForTerminal(path) << "\n";
  }
  if (findings.empty()) {
    if (down) {
      err << "gotriage: --alertmanager: " << EscapeForTerminal(why) << "; spooled alerts stay in "
          << EscapeForTerminal(dir) << "\n";
      return DeliveryResult::kSpooled;
    }
    return DeliveryResult::kSent;
  }
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  std::string body = AlertsJson(in, findings, opts, static_cast<long long>(now));
  if (!down && PostWithRetries(u, body, opts, &why)) return DeliveryResult::kSent;
  std::string path;
  if (!Spool(dir, body, &path, &e)) {
    err << "gotriage: --alertmanager: " << EscapeForTerminal(why) << "; and the alerts could not be "
        << "spooled: " << EscapeForTerminal(e) << "\n";
    return DeliveryResult::kFailed;
  }
  err << "gotriage: --alertmanager: " << EscapeForTerminal(why) << "; " << findings.size()
      << " alert(s) spooled in " << EscapeForTerminal(path) << ", sent on the next run\n";
  return DeliveryResult::kSpooled;
}

}  // namespace gotriage
