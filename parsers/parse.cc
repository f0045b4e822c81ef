// The parsers' entry point; see parse.h.
#include "parsers/parse.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "parsers/classify.h"
#include "parsers/envelope.h"
#include "parsers/grouping.h"
#include "parsers/input.h"
#include "parsers/scanner.h"
#include "parsers/sub_parser.h"

namespace gotriage {

struct Parser::Impl {
  ParseOptions opts;
  std::unique_ptr<ParsedInput> out = std::make_unique<ParsedInput>();
  ParseContext ctx;

  explicit Impl(ParseOptions o) : opts(std::move(o)) {
    ctx.out = out.get();
    ctx.limits = opts.limits;
    ctx.emit = [this](Incident&& inc) {
      if (opts.on_incident) {
        // Classify this incident alone, then hand it over.
        ParsedInput& in = *out;
        in.incidents.push_back(std::move(inc));
        ClassifyAll(&in, opts.module);
        Incident done = std::move(in.incidents.back());
        in.incidents.pop_back();
        opts.on_incident(std::move(done), in);
        return;
      }
      if (out->incidents.size() >= opts.limits.max_incidents) {
        NoteLimit(&out->limits_hit, "incidents per run (--max-incidents)");
        return;
      }
      out->incidents.push_back(std::move(inc));
    };
  }

  bool Run(const std::string& name, const std::function<bool(LineSplitter*, std::string*)>& read,
           std::string* err) {
    ctx.source = name;
    out->sources.push_back(name);
    Scanner scanner(&ctx);
    EnvelopeUnwrapper env(&scanner);
    LineSplitter splitter(&env, opts.limits, &out->limits_hit);
    std::string e;
    bool ok = read(&splitter, &e);
    if (!ok) {
      std::string msg = name + ": " + e;
      out->warnings.push_back(msg);
      if (err) *err = msg;
    }
    return ok;
  }
};

Parser::Parser(ParseOptions opts) : impl_(std::make_unique<Impl>(std::move(opts))) {}
Parser::~Parser() = default;

bool Parser::AddFd(int fd, const std::string& name, std::string* err) {
  return impl_->Run(
      name,
      [&](LineSplitter* s, std::string* e) { return ReadAll(fd, s, &impl_->out->bytes, e); },
      err);
}

bool Parser::AddFile(const std::string& path, std::string* err) {
  if (path == "-") return AddFd(0, "-", err);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (err) *err = path + ": " + std::strerror(errno);
    return false;
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  bool ok = AddFd(fd, path, err);
  close(fd);
  return ok;
}

bool Parser::AddText(std::string_view name, std::string_view text, std::string* err) {
  impl_->out->bytes += text.size();
  return impl_->Run(
      std::string(name), [&](LineSplitter* s, std::string* e) { return ReadBuffer(text, s, e); },
      err);
}

std::unique_ptr<ParsedInput> Parser::Finish() {
  ClassifyAll(impl_->out.get(), impl_->opts.module);
  return std::move(impl_->out);
}

std::unique_ptr<ParsedInput> ParseText(std::string_view text, const ParseOptions& opts) {
  Parser p(opts);
  p.AddText("<text>", text);
  return p.Finish();
}

}  // namespace gotriage
