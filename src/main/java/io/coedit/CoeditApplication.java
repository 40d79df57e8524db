package io.coedit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CoeditApplication {

    public static void main(String[] args) {
        SpringApplication.run(CoeditApplication.class, args);
    }
}
