# Build: docker build -t coedit .   (or let docker compose build it)
FROM eclipse-temurin:17.0.16_8-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
COPY frontend frontend
RUN ./mvnw -B -q package -DskipTests && cp target/coedit-*.jar /coedit.jar

FROM eclipse-temurin:17.0.16_8-jre
RUN useradd --system --uid 10001 coedit
USER coedit
COPY --from=build /coedit.jar /app/coedit.jar
EXPOSE 8080 8081
# The parallel collector: under G1 a relayed op cost the instances a quarter more CPU, which is what bounds the rate
# on two cores (docs/operations.md#memory-and-the-collector). Named, since in a container with under 2 CPUs or
# 1792 MB the JVM would pick the serial collector on its own. The metadata threshold above the ~75 MB of classes the
# service loads: with the default (about 21 MB) the JVM stopped three times at start-up for full collections.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseParallelGC", "-XX:MetaspaceSize=128m", "-jar", "/app/coedit.jar"]
