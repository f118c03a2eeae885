# The Debian package (`cmake --build build --target package`): the daemon in /usr/bin, its
# systemd unit, /etc/mcp-mirror/{mirror,curation}.yaml as conffiles, the manual page, the README,
# and the copyright and changelog files Debian requires. CPack's DEB generator builds it with
# dpkg-deb; dpkg-shlibdeps computes Depends from the binary's libraries. tests/package/check-deb.sh
# runs lintian over it and checks its contents.
include(GNUInstallDirs)
set(pkg_dir ${CMAKE_BINARY_DIR}/package-files)
file(MAKE_DIRECTORY ${pkg_dir})

# The unit as packaged: the binary is /usr/bin/mcp-mirror (the repository's unit names
# /usr/local/bin, where a build from source installs it).
file(READ ${CMAKE_SOURCE_DIR}/systemd/mcp-mirror.service unit)
string(REPLACE "/usr/local/bin/" "/usr/bin/" unit "${unit}")
file(WRITE ${pkg_dir}/mcp-mirror.service "${unit}")

# mirror.yaml: the example (every key at its default) using the packaged curation file.
file(READ ${CMAKE_SOURCE_DIR}/config/mirror.example.yaml config)
string(REPLACE "\ncuration_file: \"\"\n" "\ncuration_file: curation.yaml\n" config "${config}")
file(WRITE ${pkg_dir}/mirror.yaml "${config}")

# Debian wants the manual page and the changelog compressed with gzip -9n (no name, no time).
file(READ ${CMAKE_SOURCE_DIR}/packaging/changelog changelog)
string(REPLACE "@VERSION@" "${PROJECT_VERSION}" changelog "${changelog}")
file(WRITE ${pkg_dir}/changelog "${changelog}")
find_program(GZIP gzip REQUIRED)
add_custom_command(OUTPUT ${pkg_dir}/mcp-mirror.1.gz ${pkg_dir}/changelog.gz
                   COMMAND ${GZIP} -9nc ${CMAKE_SOURCE_DIR}/docs/mcp-mirror.1 > ${pkg_dir}/mcp-mirror.1.gz
                   COMMAND ${GZIP} -9nc ${pkg_dir}/changelog > ${pkg_dir}/changelog.gz
                   DEPENDS ${CMAKE_SOURCE_DIR}/docs/mcp-mirror.1 ${CMAKE_SOURCE_DIR}/packaging/changelog
                   VERBATIM)
add_custom_target(package_files ALL DEPENDS ${pkg_dir}/mcp-mirror.1.gz ${pkg_dir}/changelog.gz)

install(TARGETS mcp-mirror RUNTIME DESTINATION bin)
install(FILES ${pkg_dir}/mcp-mirror.service DESTINATION /lib/systemd/system)  # bookworm: not /usr/lib
install(FILES ${pkg_dir}/mirror.yaml ${CMAKE_SOURCE_DIR}/packaging/curation.yaml DESTINATION /etc/mcp-mirror)
install(FILES ${pkg_dir}/mcp-mirror.1.gz DESTINATION share/man/man1)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/packaging/copyright
        DESTINATION share/doc/mcp-mirror)
install(FILES ${pkg_dir}/changelog.gz DESTINATION share/doc/mcp-mirror)  # a native package: changelog.gz

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mcp-mirror)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # mcp-mirror_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "mcp-mirror developers <maintainers@mcp-mirror.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hosted mirror of the MCP Registry")
set(CPACK_PACKAGE_DESCRIPTION
    "mcp-mirror polls the MCP Registry about hourly, keeps every server.json in a\n"
    "local SQLite database, applies curation rules written in YAML and serves the\n"
    "registry's read API again, so host applications can point at it. It starts\n"
    "and serves without network access.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/conffiles ${CMAKE_SOURCE_DIR}/packaging/postinst ${CMAKE_SOURCE_DIR}/packaging/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
