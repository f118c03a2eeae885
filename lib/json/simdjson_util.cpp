#include "json/simdjson_util.hpp"

namespace mirror::json::detail {
namespace {

const char* code_name(simdjson::error_code code) {
  using namespace simdjson;
  switch (code) {
    case CAPACITY: return "CAPACITY";
    case MEMALLOC: return "MEMALLOC";
    case TAPE_ERROR: return "TAPE_ERROR";
    case DEPTH_ERROR: return "DEPTH_ERROR";
    case STRING_ERROR: return "STRING_ERROR";
    case T_ATOM_ERROR: return "T_ATOM_ERROR";
    case F_ATOM_ERROR: return "F_ATOM_ERROR";
    case N_ATOM_ERROR: return "N_ATOM_ERROR";
    case NUMBER_ERROR: return "NUMBER_ERROR";
    case UTF8_ERROR: return "UTF8_ERROR";
    case EMPTY: return "EMPTY";
    case UNESCAPED_CHARS: return "UNESCAPED_CHARS";
    case UNCLOSED_STRING: return "UNCLOSED_STRING";
    case INCORRECT_TYPE: return "INCORRECT_TYPE";
    case INCOMPLETE_ARRAY_OR_OBJECT: return "INCOMPLETE_ARRAY_OR_OBJECT";
    case TRAILING_CONTENT: return "TRAILING_CONTENT";
    default: return "ERROR";
  }
}

}  // namespace

std::string describe(simdjson::error_code code) {
  return std::string(code_name(code)) + " (" + simdjson::error_message(code) + ")";
}

std::string_view type_name(ondemand::json_type type) {
  switch (type) {
    case ondemand::json_type::object: return "object";
    case ondemand::json_type::array: return "array";
    case ondemand::json_type::string: return "string";
    case ondemand::json_type::number: return "number";
    case ondemand::json_type::boolean: return "boolean";
    case ondemand::json_type::null: return "null";
  }
  return "value";
}

}  // namespace mirror::json::detail
