package io.coedit.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The PostgreSQL store's connection ({@code spring.datasource.url}, {@code .username}, {@code .password}), the
 * properties operators know from every Spring application.
 */
@ConfigurationProperties("spring.datasource")
public record DataSourceSettings(String url, String username, String password) {

    /** The URL without anything that may carry a password, for the start-up log. */
    String safeUrl() {
        if (url == null) {
            return "(not set)";
        }
        int query = url.indexOf('?');
        String withoutQuery = query < 0 ? url : url.substring(0, query);
        return withoutQuery.replaceAll("//[^/@]*@", "//");
    }
}
