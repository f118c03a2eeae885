#pragma once
// The bearer token of the admin endpoints (POST .../sync, .../reload), read from
// `admin_token_file`. serve and check-config read it the same way, so a token check-config
// accepts is one serve accepts.
#include <filesystem>
#include <string>

namespace mirror::app {

// The file's text without trailing whitespace. Throws std::runtime_error naming the file when it
// cannot be read or the token is shorter than 16 characters.
std::string read_admin_token(const std::filesystem::path& file);

}  // namespace mirror::app
