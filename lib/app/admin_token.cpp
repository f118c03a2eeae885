#include "app/admin_token.hpp"

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "config/invalid_config.hpp"

namespace mirror::app {

std::string read_admin_token(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw config::invalid_config("admin_token_file " + file.string() + ": cannot read the file");
  std::stringstream text;
  text << in.rdbuf();
  auto token = text.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.size() < 16)
    throw config::invalid_config("admin_token_file " + file.string() + ": token shorter than 16 characters");
  return token;
}

}  // namespace mirror::app
