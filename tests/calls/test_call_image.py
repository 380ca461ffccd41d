"""call_image: the same draws as the pipeline, boxes in every format, labels kept with boxes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from augment import ImageSample, build_pipeline, example_rng
from augment.calls import CallError, call_image, replay_image
from augment.calls.box_formats import BOX_FORMATS, from_corners

W, H = 60, 40
MIRROR = build_pipeline({"Mirror": {}})  # unlabelled images are flipped: targets move exactly
SHIFT = build_pipeline({"Translate": {"x": [0.5, 0.5], "y": [0.0, 0.0]}})  # half the width right
WARP = build_pipeline([{"Rotate": {"degrees": 20}}, {"GridWarp": {}}, {"Contrast": {}}])


def _image() -> np.ndarray:
    image = np.zeros((H, W, 3), np.uint8)
    image[8:20, 6:16] = 200
    image[25:35, 40:55] = 90
    return image


CORNERS = np.array([[6.0, 8.0, 16.0, 20.0], [40.0, 25.0, 55.0, 35.0]])


def test_same_draws_and_bytes_as_running_the_pipeline() -> None:
    image = _image()
    out = call_image(WARP, image, bboxes=CORNERS, bbox_format="pascal_voc", rng=example_rng(4, 2))
    direct, params = WARP.run(ImageSample(image, boxes=CORNERS), example_rng(4, 2))
    assert out["image"].tobytes() == direct.image.tobytes()
    assert out["params"] == params
    np.testing.assert_array_equal(out["bboxes"], direct.boxes)


def test_replay_from_json_params_gives_the_same_bytes() -> None:
    image = _image()
    out = call_image(WARP, image, bboxes=CORNERS, bbox_format="coco", rng=example_rng(0, 9))
    params = json.loads(json.dumps(out["params"]))
    again = replay_image(WARP, params, image, bboxes=CORNERS, bbox_format="coco")
    assert again["image"].tobytes() == out["image"].tobytes()
    np.testing.assert_array_equal(again["bboxes"], out["bboxes"])


@pytest.mark.parametrize("bbox_format", BOX_FORMATS)
def test_mirror_moves_boxes_exactly_in_every_format(bbox_format: str) -> None:
    given = from_corners(CORNERS, bbox_format, W, H)
    out = call_image(MIRROR, _image(), bboxes=given, bbox_format=bbox_format)
    mirrored = np.stack([W - CORNERS[:, 2], CORNERS[:, 1], W - CORNERS[:, 0], CORNERS[:, 3]], 1)
    expected = from_corners(mirrored, bbox_format, W, H)
    np.testing.assert_allclose(out["bboxes"], expected, atol=1e-9)
    # the pixels under each box moved with it
    x0, y0, x1, y1 = mirrored[0].astype(int)
    assert out["image"][y0:y1, x0:x1].min() == 200


def test_boxes_that_leave_take_their_labels_and_columns_with_them() -> None:
    boxes = np.concatenate([CORNERS, [[3.0], [8.0]]], axis=1)  # (N, 5): class last
    out = call_image(
        SHIFT, _image(), bboxes=boxes, bbox_format="pascal_voc", names=["cup", "dog"], ids=(1, 2)
    )
    np.testing.assert_allclose(out["bboxes"], [[36.0, 8.0, 46.0, 20.0, 3.0]])
    assert out["names"] == ["cup"] and out["ids"] == (1,)


def test_a_list_of_rows_keeps_text_classes_and_comes_back_a_list() -> None:
    rows = [[6, 8, 10, 12, "cup"], [40, 25, 15, 10, "dog"]]
    out = call_image(SHIFT, _image(), bboxes=rows, bbox_format="coco", scores=np.array([0.9, 0.4]))
    assert out["bboxes"] == [(36.0, 8.0, 10.0, 12.0, "cup")]
    np.testing.assert_array_equal(out["scores"], [0.9])


def test_keypoints_with_extra_columns_and_a_mask_move_with_the_image() -> None:
    mask = np.zeros((H, W), np.uint8)
    mask[8:20, 6:16] = 4
    points = np.array([[10.0, 12.0, 7.0], [50.0, 30.0, 8.0]])
    out = call_image(MIRROR, _image(), mask=mask, keypoints=points)
    np.testing.assert_allclose(out["keypoints"], [[W - 1 - 10, 12, 7], [W - 1 - 50, 30, 8]])
    np.testing.assert_array_equal(out["mask"], mask[:, ::-1])
    assert out["mask"].dtype == np.uint8


def test_albumentations_label_fields_habit_is_accepted() -> None:
    out = call_image(MIRROR, _image(), bboxes=CORNERS, labels=[1, 2], label_fields=["labels"])
    assert out["labels"] == [1, 2]


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ({"bboxes": CORNERS, "labels": [1]}, "labels: 1 labels for 2 boxes"),
        ({"labels": [1, 2]}, "labels: a per-box label field needs bboxes="),
        ({"bboxes": [[1, 2, 3]]}, r"bboxes\[0\]: expected at least 4 values"),
        ({"bboxes": [[1, 2, np.nan, 4]]}, r"bboxes\[0\]: NaN or infinite"),
        ({"bboxes": CORNERS, "bbox_format": "xyxy"}, "bbox_format: expected one of"),
        ({"mask": np.zeros((H, W + 1), np.uint8)}, "mask: shape"),
        ({"mask": np.zeros((H, W), np.float32)}, "mask: dtype float32"),
        ({"bboxes": CORNERS, "label_fields": ["cls"]}, "label_fields: names"),
    ],
)
def test_bad_targets_are_one_line_errors(targets, message) -> None:
    with pytest.raises(CallError, match=message) as err:
        call_image(MIRROR, _image(), **targets)
    assert "\n" not in str(err.value)


def test_no_boxes_survive_gives_empty_rows_and_labels() -> None:
    far = np.array([[40.0, 25.0, 55.0, 35.0, 1.0]])
    out = call_image(SHIFT, _image(), bboxes=far, bbox_format="pascal_voc", names=["dog"])
    assert out["bboxes"].shape == (0, 5) and out["names"] == []


def test_an_albumentations_crop_filters_labels_and_normalises_by_the_new_size() -> None:
    crop = build_pipeline(
        {"Albumentations": {"transform": "Crop", "kwargs": {"x_max": 30, "y_max": 40}}}
    )
    given = from_corners(CORNERS, "yolo", W, H)
    out = call_image(crop, _image(), bboxes=given, bbox_format="yolo", names=["cup", "dog"])
    assert out["image"].shape == (40, 30, 3) and out["names"] == ["cup"]
    np.testing.assert_allclose(out["bboxes"], from_corners(CORNERS[:1], "yolo", 30, 40))
