package io.coedit.storage;

import java.util.Arrays;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition behind {@link ConditionalOnStorage}. */
class OnStorageCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        StorageType[] wanted = (StorageType[]) metadata.getAnnotationAttributes(ConditionalOnStorage.class.getName())
                .get("value");
        StorageType inForce = StorageType.inForce(context.getEnvironment());
        String message = "storage type " + inForce.propertyValue() + " in " + List.of(wanted);
        return Arrays.asList(wanted).contains(inForce)
                ? ConditionOutcome.match(message)
                : ConditionOutcome.noMatch(message);
    }
}
