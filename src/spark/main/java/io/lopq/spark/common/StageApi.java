package io.lopq.spark.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the classes of a Spark stage package ({@code spark.train}, {@code spark.encode},
 * {@code spark.search}, {@code spark.eval}) that other stages, the ML API and the command line may
 * use: the job, its parameters and its report. Everything else in a stage package is its own
 * business; {@code ArchitectureTest} fails when another stage reaches into it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface StageApi {
}
