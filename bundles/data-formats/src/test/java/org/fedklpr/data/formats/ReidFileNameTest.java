package org.fedklpr.data.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReidFileNameTest {
    @ParameterizedTest
    @CsvSource({
        "0002_c1s1_000451_03.jpg, 2, 1",
        "1501_c6s4_001877_01.jpg, 1501, 6",
        "-1_c3s2_013425_02.jpg, -1, 3",
        "0000_c5s3_095403_05.jpg, 0, 5",
        "0005_c2_f0046985.jpg, 5, 2",
        "0001_c1_1.png, 1, 1",
        "0123_C4S1_000010_01.JPG, 123, 4",
        "cam_2_0031_00.png, 31, 2",
        "cam_1_7_12.bmp, 7, 1"})
    void parsesPersonAndCamera(String name, int person, int camera) {
        assertEquals(Optional.of(new ReidFileName(person, camera)), ReidFileName.parse(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Thumbs.db", "readme.txt", "0002_c1s1_000451_03.txt", "0002-c1s1-000451-03.jpg",
        "0002_c0s1_000451_03.jpg", "abcd_c1s1_000451_03.jpg", ".0002_c1s1_1_1.jpg~", "cam_0_0002_01.png",
        "cam_a_0002_01.png", "99999999999_c1s1_000001_01.jpg"})
    void rejectsOtherNames(String name) {
        assertEquals(Optional.empty(), ReidFileName.parse(name));
    }
}
